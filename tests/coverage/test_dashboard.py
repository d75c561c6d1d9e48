"""The coverage dashboard: bars with tier lines, drill-down, scope, application sheets, snapshots."""

import re
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from coverage.models import CoverageSnapshot
from tests.coverage.coverage_factory import make_smart


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def smart(round_, demo):
    make_smart(round_, ["379902001001", "379921001001", "379921001002"])
    return round_


def test_index_draws_bars_with_tier_lines_and_the_gap(client, smart):
    page = login(client, "bureau").get("/admin/coverage/").content.decode()
    assert page.count("<svg class=\"cov-bar") == 6  # the city and its five units
    assert "≥30% 12分" in page and "&gt;50% 15分" in page and "≥50% 12分" in page and "&gt;80% 15分" in page
    # City: 1 of 16; >= 30% needs 4.8 -> 5 smart: 4 more. County 379921: 2 of 4 = 50% -> 12 points, > 80% needs 4.
    city_row = re.search(r'data-city="379900">(.*?)</tr>', page, re.S).group(1)
    assert "还差 4 个社区" in city_row
    county_row = re.search(r'data-unit="379921">(.*?)</tr>', page, re.S).group(1)
    assert "12分（4星）" in county_row and "还差 2 个社区" in county_row
    assert not re.findall(r'src="(?:https?:)?//', page)  # nothing loaded from the internet: works offline


def test_drill_down_to_the_items(client, smart):
    login(client, "bureau")
    city = client.get("/admin/coverage/city/379900/")
    assert city.status_code == 200 and 'data-unit="379902"' in city.content.decode()
    unit = client.get("/admin/coverage/unit/379902/").content.decode()
    assert 'data-street="379902001"' in unit and 'data-street="379902101"' in unit
    assert "乡镇社区不计入覆盖率" in unit
    street = client.get("/admin/coverage/street/379902001/").content.decode()
    row = re.search(r'data-community="379902001001">(.*?)</tr>', street, re.S).group(1)
    assert row.count("cell-P") == 25
    assert 'data-community="379902002001"' not in street  # another street's community
    community = client.get("/admin/coverage/community/379902001002/").content.decode()
    assert community.count('data-cell="N"') == 25


def test_verifier_sees_only_their_units_read_only(client, smart):
    login(client, "verifier")
    assert client.get("/admin/coverage/unit/379902/").status_code == 200
    assert client.get("/admin/coverage/unit/379921/").status_code == 404
    assert client.get("/admin/coverage/community/379921001001/").status_code == 404
    index = client.get("/admin/coverage/").content.decode()
    assert 'data-unit="379921"' not in index and 'data-city="379900"' not in index
    assert "冻结当前数据" not in index
    # Wagtail's admin turns PermissionDenied into a redirect with an error message.
    assert client.post("/admin/coverage/snapshots/new/?round=2026").status_code in (302, 403)
    assert not CoverageSnapshot.objects.exists()


def test_worker_is_kept_out(client, smart):
    response = login(client, "worker").get("/admin/coverage/")
    assert response.status_code in (302, 403)


def test_application_sheets(client, smart):
    login(client, "bureau")
    sheet = client.get("/admin/coverage/sheet/city/379900/").content.decode()
    assert "附件1 第49项 智慧社区覆盖率" in sheet and "辖区内智慧社区数量/社区总数量" in sheet
    assert "SD-ZHSQ-2019 第1版" in sheet and "2026年度" in sheet
    assert 'data-figure="percent">6.25%' in sheet
    smart_list = re.search(r"data-smart-list>(.*?)</table>", sheet, re.S).group(1)
    assert "379902001001" in smart_list and "379921001001" not in smart_list  # the county is not the city's
    county = client.get("/admin/coverage/sheet/unit/379921/").content.decode()
    assert "附件2 第52项 智慧社区覆盖率" in county and 'data-figure="points">12分（4星）' in county
    assert client.get("/admin/coverage/sheet/unit/379902/").status_code == 404  # main urban: no own sheet


def test_snapshot_from_the_dashboard_and_frozen_views(client, smart):
    login(client, "bureau")
    response = client.post("/admin/coverage/snapshots/new/?round=2026", {"note": "上报版"})
    snapshot = CoverageSnapshot.objects.get()
    assert response.status_code == 302 and f"snapshot={snapshot.pk}" in response["Location"]
    make_smart(smart, ["379902001002"])
    frozen = client.get(f"/admin/coverage/sheet/city/379900/?round=2026&snapshot={snapshot.pk}").content.decode()
    live = client.get("/admin/coverage/sheet/city/379900/").content.decode()
    assert 'data-figure="smart">1<' in frozen and 'data-figure="smart">2<' in live
    assert f"快照 #{snapshot.pk}" in frozen and "上报版" in frozen
    index = client.get(f"/admin/coverage/?round=2026&snapshot={snapshot.pk}").content.decode()
    assert f'data-snapshot="{snapshot.pk}"' in index
    street = client.get(f"/admin/coverage/street/379902001/?round=2026&snapshot={snapshot.pk}").content.decode()
    row = re.search(r'data-community="379902001002">(.*?)</tr>', street, re.S).group(1)
    assert row.count("cell-N") == 25  # frozen before it became smart
    assert client.get("/admin/coverage/?round=2026&snapshot=9999").status_code == 404


def test_dashboard_exports_are_scoped(client, smart, make_user):
    login(client, "verifier")
    response = client.get("/admin/coverage/export/?round=2026&format=xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content), read_only=True)
    units = [row[0] for row in book["区县"].iter_rows(min_row=2, values_only=True)]
    assert units == ["379902", "379903"]
    csv_text = client.get("/admin/coverage/export/?round=2026&format=csv&sheet=communities").content.decode()
    assert csv_text.startswith("\ufeff社区代码") and "379921001001" not in csv_text


def test_same_named_communities_are_told_apart(client, smart):
    """Issue 10: 康宁社区 is in both 东城街道 and 西城街道 of 示范中心区; street and unit are shown beside names."""
    login(client, "bureau")
    make_smart(smart, ["379902002001"])
    unit = client.get("/admin/coverage/unit/379902/").content.decode()
    rows = {code: re.search(rf'data-community="{code}">(.*?)</tr>', unit, re.S).group(1)
            for code in ("379902001002", "379902002001")}
    assert all("康宁社区" in row for row in rows.values())
    assert "东城街道 · 示范中心区" in rows["379902001002"] and "西城街道 · 示范中心区" in rows["379902002001"]
    sheet = client.get("/admin/coverage/sheet/city/379900/").content.decode()
    listed = re.search(r'data-smart-list>.*?data-community="379902002001">(.*?)</tr>', sheet, re.S).group(1)
    assert "<td>康宁社区</td><td>西城街道</td><td>示范中心区</td>" in listed
    community = client.get("/admin/coverage/community/379902002001/").content.decode()
    assert "西城街道 · 示范中心区 · 社区代码 379902002001" in community


def test_frozen_heat_map_keeps_the_streets(client, smart):
    login(client, "bureau")
    client.post("/admin/coverage/snapshots/new/?round=2026", {"note": "上报版"})
    snapshot = CoverageSnapshot.objects.get()
    unit = client.get(f"/admin/coverage/unit/379902/?round=2026&snapshot={snapshot.pk}").content.decode()
    row = re.search(r'data-community="379902002001">(.*?)</tr>', unit, re.S).group(1)
    assert "西城街道 · 示范中心区" in row
