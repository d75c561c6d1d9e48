"""Wagtail's group form in the reader's language (issue 20): permissions named at render time, not as Django stored
them ("Can add 自评"); the labels Wagtail freezes at import (collection, image, document panels; the page panel's
field) lazy again; the page search's count. An upgraded Wagtail that changes what this relies on fails here."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.utils import translation
from wagtail.models import GroupPagePermission, Page

from smartsite import permission_labels
from tests.browser.language import HAN
from tests.factories import AdminFactory

pytestmark = pytest.mark.django_db


def labels(html: str) -> list[str]:
    """Return the text of every <label> on the page (what a screen reader announces for each checkbox), without
    the required fields' asterisk."""
    return [re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", text))).strip().rstrip("*")
            for text in re.findall(r"<label\b[^>]*>(.*?)</label>", html, flags=re.S)]


def headings(html: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", text)).strip() for text in re.findall(r"<th\b[^>]*>(.*?)</th>", html,
                                                                                   flags=re.S)]


@pytest.fixture
def group_with_a_page_permission():
    group = Group.objects.create(name="演示组")
    GroupPagePermission.objects.create(group=group, page=Page.get_first_root_node(),
                                       permission=Permission.objects.get(codename="bulk_delete_page"))
    return group


def test_new_group_form_in_chinese(client):
    client.force_login(AdminFactory())
    page = client.get("/admin/groups/new/").content.decode()
    found = labels(page)
    assert "可以添加组" in found and "可以修改用户" in found and "可以删除核查轮次" in found
    assert "可以添加角色分配" in found and "可以进入管理后台" in found
    assert "添加集合" in found or "集合" in found  # the collection panel: the field label, when a row is shown
    assert not [label for label in found if re.search(r"\bCan \w+", label)], found
    assert {"添加", "更改", "删除", "编辑", "选择", "集合"} <= set(headings(page))


def test_new_group_form_in_english(client, in_english):
    client.force_login(AdminFactory())
    page = in_english(client).get("/admin/groups/new/").content.decode()
    found = labels(page)
    assert {"Can add group", "Can change user", "Can delete round", "Can add role assignment"} <= set(found), found
    assert "Can access Wagtail admin" in found
    assert not [label for label in found if HAN.search(label)], found
    # Wagtail's image and document panels, frozen at import in Chinese before: their columns and the collection
    assert {"Add", "Edit", "Choose", "Collection"} <= set(headings(page))
    assert not [h for h in headings(page) if HAN.search(h)], headings(page)


def test_edit_group_form_names_the_page_and_its_permissions(client, in_english, group_with_a_page_permission):
    client.force_login(AdminFactory())
    url = f"/admin/groups/edit/{group_with_a_page_permission.pk}/"
    chinese = labels(client.get(url).content.decode())
    assert "页面" in chinese and "删除页面及其子页面" in chinese and "添加/编辑所属的页面" in chinese
    assert not [label for label in chinese if "Page" in label or " | " in label], chinese
    english = labels(in_english(client).get(url).content.decode())
    assert {"Page", "Delete pages with children", "Add/edit pages you own", "Can add group"} <= set(english)
    assert not [label for label in english if HAN.search(label)], english


def test_collection_rows_follow_the_readers_language(client, in_english):
    """A group with image permissions on the root collection: the row's checkbox labels and its field label."""
    from wagtail.models import Collection, GroupCollectionPermission

    group = Group.objects.create(name="图片组")
    GroupCollectionPermission.objects.create(group=group, collection=Collection.get_first_root_node(),
                                             permission=Permission.objects.get(codename="add_image"))
    client.force_login(AdminFactory())
    url = f"/admin/groups/edit/{group.pk}/"
    assert {"集合", "增加/编辑所属的图片", "在选择器中选择图片"} <= set(labels(client.get(url).content.decode()))
    english = labels(in_english(client).get(url).content.decode())
    assert {"Collection", "Add/edit images you own", "Select images in choosers"} <= set(english), english


def test_wagtails_panels_have_the_shape_the_labels_rely_on():
    assert permission_labels.localize_wagtail_panels() == []
    for panel in permission_labels.collection_panels():
        codenames = [codename for codename, *_ in panel.permission_types]
        assert codenames == list(permission_labels.FROZEN[panel.default_prefix])
        # The msgids are Wagtail's: its Chinese catalog translates every one.
        for _codename, short, long in panel.permission_types:
            with translation.override("zh-hans"):
                assert HAN.search(str(short)) and HAN.search(str(long)), (short, long)
            with translation.override("en"):
                assert not HAN.search(str(short) + str(long))


def test_permission_label_by_language_and_kind():
    add_group = Permission.objects.get(codename="add_group")
    bulk_delete = Permission.objects.get(codename="bulk_delete_page")
    with translation.override("zh-hans"):
        assert permission_labels.permission_label(add_group) == "可以添加组"
        assert permission_labels.permission_short_label(add_group) == "可以添加"
        assert permission_labels.permission_label(bulk_delete) == "删除页面及其子页面"
    with translation.override("en"):
        assert permission_labels.permission_label(add_group) == "Can add group"
        assert permission_labels.permission_label(bulk_delete) == "Delete pages with children"
    with translation.override("en"):  # a model's name inside the sentence, as Django writes its own
        assert permission_labels.permission_label(Permission.objects.get(codename="add_assessment")) \
            == "Can add self-assessment"
    add_group.name = "Can add groups of people"  # renamed by hand: no longer Django's name, shown as written
    with translation.override("zh-hans"):
        assert permission_labels.permission_label(add_group) == "Can add groups of people"


def test_a_declared_permission_follows_the_reader_whatever_language_migrate_ran_in():
    """Wagtail declares "Can access Wagtail admin" lazily, so its stored name is in the language active when
    migrate ran: Chinese on a database migrated with zh-hans active. The reader's language decides what shows."""
    access = Permission.objects.get(codename="access_admin")
    for stored in ("Can access Wagtail admin", "可以进入管理后台"):
        access.name = stored
        with translation.override("en"):
            assert permission_labels.permission_label(access) == "Can access Wagtail admin"
            assert permission_labels.permission_short_label(access) == "Can access Wagtail admin"
        with translation.override("zh-hans"):
            assert permission_labels.permission_label(access) == "可以进入管理后台"
    access.name = "进入后台（仅限本区）"  # changed by hand: shown as written
    with translation.override("en"):
        assert permission_labels.permission_label(access) == "进入后台（仅限本区）"


def test_the_permissions_template_copy_is_wagtails_but_for_the_labels():
    """templates/wagtailusers/groups/includes/formatted_permissions.html copies Wagtail's for its labels: an
    upgraded Wagtail that changes it fails here, so the copy is brought up to date rather than silently kept old."""
    import wagtail

    name = "wagtailusers/groups/includes/formatted_permissions.html"
    ours = (Path(settings.BASE_DIR) / "templates" / name).read_text(encoding="utf-8")
    theirs = (Path(wagtail.__file__).parent / "users/templates" / name).read_text(encoding="utf-8")
    ours = re.sub(r"\{% comment %\}.*?\{% endcomment %\}\n", "", ours, flags=re.S)
    back = [("{% load i18n wagtailadmin_tags permission_labels %}", "{% load i18n wagtailadmin_tags %}"),
            ("attrs=custom_perm.attrs %}{% endwith %}", "attrs=custom_perm.attrs %}"),
            ("{% with custom_perm_label=custom_perm.perm|permission_short_label %}",
             "{% trans custom_perm.name as custom_perm_label %}"),
            ("{{ perm_tuple.0|permission_label }}", "{% trans perm_tuple.0.name %}")]
    for action in ("add", "change", "delete"):
        back.append((f"{{{{ content_perms_dict.{action}.perm|permission_label }}}}",
                     f"{{{{ content_perms_dict.{action}.perm.name }}}}"))
    for mine, wagtails in back:
        assert ours.count(mine) == 1, mine
        ours = ours.replace(mine, wagtails)
    assert ours == theirs
