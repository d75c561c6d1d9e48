"""Wagtail's own page screens and the register import in one language (issue 20): an administrator who chose English
reads the explorer's page types, a region page's editor and the register import in English, the region names as
they are; a Chinese reader's wording is unchanged."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import strip_tags

from communities.models import CityPage, CommunityPage, ProvincePage
from tests.communities.test_register import ROWS
from tests.communities.test_register import csv_bytes as register_csv
from tests.factories import AdminFactory


@pytest.fixture
def admin(client, demo):
    client.force_login(AdminFactory())
    return client


def test_the_explorer_names_page_types_in_the_readers_language(admin, in_english):
    province = ProvincePage.objects.get()
    city = CityPage.objects.get(code="379900")
    chinese = admin.get(f"/admin/pages/{province.pk}/").content.decode()
    assert "设区市" in chinese and city.title in chinese  # the page-type filter's choices
    page = in_english(admin).get(f"/admin/pages/{province.pk}/").content.decode()
    assert re.search(r"\bCity\b", strip_tags(page)) and city.title in page and "设区市" not in page
    usage = admin.get("/admin/pages/usage/communities/unitpage/").content.decode()
    assert "Pages using: District/county/county-level city" in usage and "区/县/县级市" not in usage


def test_a_community_pages_editor_in_english_and_in_chinese(admin, in_english):
    community = CommunityPage.objects.order_by("pk").first()
    url = f"/admin/pages/{community.pk}/edit/"
    chinese = admin.get(url).content.decode()
    assert "社区代码" in chinese and "总户数" in chinese
    page = in_english(admin).get(url).content.decode()
    assert "Community code" in page and "Households" in page and community.title in page
    assert "社区代码" not in page and "总户数" not in page


def test_a_wrong_code_is_refused_in_the_readers_language(admin, in_english):
    """The code field's own check (six digits for a city) speaks the reader's language."""
    city = CityPage.objects.get(code="379900")
    field = CityPage._meta.get_field("code")
    for language, message in (("zh-hans", "设区市代码必须是6位数字"), ("en", "City code must be 6 digits")):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                field.run_validators("37990")
            assert refused.value.messages == [message]
    assert city.code == "379900"


def test_the_register_import_in_english(admin, in_english):
    chinese = admin.get("/admin/register/import/").content.decode()
    assert "导入社区名册" in chinese and "只校验并统计，不写入" in chinese
    page = in_english(admin).get("/admin/register/import/").content.decode()
    assert "Import the community register" in page and "Login lockouts" in page  # the menu too
    assert "导入社区名册" not in page and "登录锁定" not in page


def test_the_register_imports_change_list_names_levels_and_changes_in_english(admin, in_english):
    """The result table's level and change columns follow the reader; what the import writes stays as it was."""
    upload = SimpleUploadedFile("register.csv", register_csv(ROWS, "gbk"))
    page = in_english(admin).post("/admin/register/import/", {"file": [upload], "dry_run": "on"}).content.decode()
    assert "<td>Community</td><td>New</td>" in page and "<td>社区</td>" not in page
