"""The coverage dashboard: bars with tier lines, drill-down, scope, application sheets, snapshots."""

import re
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from checklists.models import ItemResult, Status
from coverage.models import CoverageSnapshot
from tests.coverage.coverage_factory import make_smart, set_results


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
    assert "≥ 30% 12分" in page and "&gt; 50% 15分" in page and "≥ 50% 12分" in page and "&gt; 80% 15分" in page
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


def test_one_number_and_time_format_on_the_dashboard_and_sheets(client, smart):
    # Issue 20: "92.5%" beside "90.00%", "≥25 %", and raw ISO times ("2026-12-07T14:50:36+08:00").
    login(client, "bureau")
    index = client.get("/admin/coverage/").content.decode()
    city_row = re.search(r'data-city="379900">(.*?)</tr>', index, re.S).group(1)
    assert '<td class="num">6.25%</td>' in city_row and 'aria-label="覆盖率 6.25%（1/16）"' in city_row
    county_row = re.search(r'data-unit="379921">(.*?)</tr>', index, re.S).group(1)
    assert '<td class="num">50.00%</td>' in county_row
    assert not re.search(r"\d %|\d{4}-\d\d-\d\dT\d\d:", index[index.index("<main"):])
    assert re.search(r"统计时间：\d{4}-\d\d-\d\d \d\d:\d\d。", index)
    sheet = client.get("/admin/coverage/sheet/city/379900/").content.decode()
    assert re.search(r"<th>数据生成时间</th><td>\d{4}-\d\d-\d\d \d\d:\d\d</td>", sheet)
    community = client.get("/admin/coverage/community/379902001001/").content.decode()
    assert "通过 25/25 项（100.00%）" in community
    book = load_workbook(BytesIO(client.get("/admin/coverage/export/?round=2026&format=xlsx").content), read_only=True)
    about = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", about["生成时间"])


def test_the_tier_labels_are_12px_and_not_scaled_down(client, smart):
    # Issue 20: the tier labels were 9 px, and the bar's SVG shrank them further with the column.
    page = login(client, "bureau").get("/admin/coverage/").content.decode()
    assert ".cov-bar__label { font-size: 12px;" in page
    assert page.count('viewBox="0 0 400 40" width="400" height="40"') == 6


def test_the_heat_map_shows_a_draft_as_a_draft(client, smart):
    # Issue 20: a complete draft, not yet submitted, showed as ✗ 未通过, like a verifier's failure.
    set_results(smart, "379902001002", {1: (Status.DRAFT, True), 2: (Status.RETURNED, True)})
    ItemResult.objects.filter(community__code="379902001002", item_number=3).update(status=Status.DRAFT, values={})
    login(client, "bureau")
    street = client.get("/admin/coverage/street/379902001/").content.decode()
    legend = re.search(r'<p class="heat-legend">(.*?)</p>', street, re.S).group(1)
    assert '<span class="cell-D">草稿</span>' in legend and '<span class="cell-F">未通过</span>' in legend
    row = re.search(r'data-community="379902001002">(.*?)</tr>', street, re.S).group(1)
    assert '<td class="cell cell-D" title="第1项：草稿">草</td>' in row
    assert '<td class="cell cell-F" title="第2项：未通过">✗</td>' in row
    assert '<td class="cell cell-N" title="第3项：未填报">–</td>' in row
    community = client.get("/admin/coverage/community/379902001002/").content.decode()
    assert re.search(r'data-item="1" data-cell="D">.*?<span class="cell-D">草稿</span>', community, re.S)
    csv_text = client.get("/admin/coverage/export/?round=2026&format=csv&sheet=communities").content.decode()
    row = next(line for line in csv_text.splitlines() if line.startswith("379902001002"))
    assert row.split(",")[10:13] == ["草稿", "未通过", "未填报"]



def test_the_dashboard_in_english_and_in_chinese(client, smart, in_english):
    # One language per screen (issue 20): an English session reads the dashboard, its drill-down and the printable
    # sheet in English, names from the data as written; with no choice it stays Chinese, word for word.
    login(client, "bureau")
    chinese = client.get("/admin/coverage/").content.decode()
    assert "覆盖率与分档线" in chinese and "还差 4 个社区" in chinese and "≥ 30% 12分" in chinese
    assert "Coverage rate and tier lines" not in chinese
    in_english(client)
    index = client.get("/admin/coverage/").content.decode()
    for words in ("Coverage rate and tier lines", "4 more communities", "≥ 30% 12 pts", "Application sheet",
                  "Freeze current data", "Live data", "Switch round"):
        assert words in index, words
    assert "覆盖率与分档线" not in index and "还差" not in index and "申报表" not in index
    unit = client.get("/admin/coverage/unit/379902/").content.decode()
    assert "Communities × items" in unit and "Subdistricts and towns" in unit and "社区 × 指标" not in unit
    street = client.get("/admin/coverage/street/379902001/").content.decode()
    assert "counted communities" in street and 'title="Item 1: Passed"' in street
    community = client.get("/admin/coverage/community/379902001002/").content.decode()
    assert "items passed" in community and ">Not reported<" in community and "未填报" not in community
    sheet = client.get("/admin/coverage/sheet/city/379900/").content.decode()
    assert '<html lang="en">' in sheet and "smart community coverage rate sheet" in sheet
    assert "Reporting unit (seal)" in sheet and "填报单位" not in sheet
