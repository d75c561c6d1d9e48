"""The 智慧社区名单: the coverage roll-up's own smart communities per city and county, published by the province
as a frozen version at a stable address; re-publishing makes a new version and the older ones stay reachable."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import PageLogEntry

from checklists.models import ItemResult, Status
from coverage.rollup import coverage_for_round
from publications import smartlist
from publications.models import SmartListPage
from publications.services import PublicationError
from publications.services.smartlists import smart_list_publish
from tests.coverage.coverage_factory import make_smart

SMART = ["379902001001", "379903001001", "379902101001", "379921001001"]  # 379902101001: under a town


def listed(document: dict) -> dict[str, dict]:
    return {c["code"]: c for city in document["cities"] for unit in city["units"] for c in unit["smart"]}


def test_the_list_is_the_rollups_smart_communities_grouped_by_city_and_county(round_, demo):
    make_smart(round_, SMART)
    document = smartlist.build(round_)
    rollup = {c["code"] for c in coverage_for_round(round_)["communities"] if c["smart"]}
    assert set(listed(document)) == rollup == set(SMART) and document["smart_communities"] == 4
    (city,) = document["cities"]
    assert (city["name"], city["communities"], city["smart_communities"], city["coverage_percent"]) == \
        ("示范市", 16, 2, "12.50")
    units = {u["code"]: u for u in city["units"]}
    assert [c["code"] for c in units["379902"]["smart"]] == ["379902001001", "379902101001"]
    assert units["379921"]["kind_label"] == "县" and units["379921"]["coverage_percent"] == "25.00"
    town = listed(document)["379902101001"]
    assert not town["in_scope"] and town["street"] == "青山镇"
    assert listed(document)["379902001001"]["street"] == "东城街道"


def test_published_frozen_republished_as_a_new_version(client, round_, demo, province):
    make_smart(round_, SMART[:2])
    first = smart_list_publish(user=province, round_=round_)
    assert (first.version, first.live, first.url) == (1, True, "/publications/smart-communities/2026/v1/")
    with pytest.raises(PublicationError, match="与已公布的第1版相同"):
        smart_list_publish(user=province, round_=round_)
    # An answer reopened after publication changes nothing published.
    ItemResult.objects.filter(community__code=SMART[0], item_number=3).update(status=Status.SUBMITTED)
    page = client.get("/publications/smart-communities/2026/").content.decode()
    assert "379902001001" in page and "共 2 个智慧社区" in page

    make_smart(round_, SMART[2:])
    second = smart_list_publish(user=province, round_=round_)
    assert second.version == 2 and "第2版" in second.title
    latest = client.get("/publications/smart-communities/2026/").content.decode()
    older = client.get("/publications/smart-communities/2026/v1/").content.decode()
    assert "共 3 个智慧社区" in latest and 'data-community="379921001001"' in latest
    assert 'data-community="379902001001"' not in latest  # reopened since v1
    assert "共 2 个智慧社区" in older and 'data-community="379902001001"' in older
    assert 'href="/publications/smart-communities/2026/v1/"' in latest  # the versions link each other
    assert client.get("/publications/smart-communities/2026/v3/").status_code == 404
    assert client.get("/publications/smart-communities/1999/").status_code == 404
    index = client.get("/publications/").content.decode()
    assert "2026年度智慧社区名单（第2版）" in index and "另有 1 个早先版本" in index
    entries = PageLogEntry.objects.filter(page=second)
    assert {"wagtail.create", "wagtail.publish", "publications.smart_list_published"} <= \
        set(entries.values_list("action", flat=True))
    assert entries.get(action="publications.smart_list_published").user == province


def test_only_the_province_publishes(round_, demo, bureau):
    with pytest.raises(PermissionDenied, match="只有省大数据局或管理员可以公布智慧社区名单"):
        smart_list_publish(user=bureau, round_=round_)
    assert not SmartListPage.objects.exists()


def test_a_published_list_cannot_be_edited_in_the_admin(client, round_, demo, province, make_user):
    from django.contrib.auth.models import Group

    page = smart_list_publish(user=province, round_=round_)
    administrator = make_user("administrator")
    administrator.groups.add(Group.objects.get(name="管理员"))
    client.force_login(administrator)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 302 and response["Location"] == "/admin/"  # Wagtail's "no permission"
    assert page.permissions_for_user(administrator).can_unpublish()  # it may still be taken down
