"""Accounts in one language (issue 20): the password rules on Wagtail's user form and their refusals follow the
reader's language; the user form's Roles link is no tab outside the tablist (axe-core's aria-required-parent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import AdminFactory

pytestmark = pytest.mark.django_db


def test_the_password_rules_follow_the_readers_language(client, in_english):
    client.force_login(AdminFactory())
    chinese = client.get("/admin/users/new/").content.decode()
    assert "密码至少 10 个字符。" in chinese
    page = in_english(client).get("/admin/users/new/").content.decode()
    assert "The password has at least 10 characters." in page and "密码至少" not in page
    assert "The password contains at least 3 of: lowercase letters" in page
    assert 'role="tab" data-action="w-tabs#select:prevent"' not in page  # the Roles link outside the tablist


def test_a_too_simple_password_is_refused_in_the_readers_language():
    for language, words in (("zh-hans", "（当前只有：小写字母、数字）"),
                            ("en", "(it has only: lowercase letters, digits)")):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                validate_password("abcdefgh12345")
            assert any(words in message for message in refused.value.messages), refused.value.messages


def test_the_user_form_copy_is_wagtails_but_for_the_roles_link():
    """templates/wagtailusers/users/create.html copies Wagtail's whole form for one attribute: an upgraded Wagtail
    that changes its form fails here, so the copy is brought up to date rather than silently kept old."""
    import wagtail

    ours = (Path(settings.BASE_DIR) / "templates/wagtailusers/users/create.html").read_text(encoding="utf-8")
    theirs = (Path(wagtail.__file__).parent / "users/templates/wagtailusers/users/create.html").read_text(
        encoding="utf-8")
    ours = re.sub(r"\{% comment %\}.*?\{% endcomment %\}\n", "", ours, flags=re.S)
    assert ours == theirs.replace('w-mb-8" role="tab" data-action', 'w-mb-8" data-action')
    assert ours != theirs
