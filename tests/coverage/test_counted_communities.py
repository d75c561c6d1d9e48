"""Which communities the roll-up counts (communities.counting): 村委会 listed but not counted, 类似乡级单位 counted,
retired units gone from the roll-up with their history kept, the JSON's kind and kind_confirmed, both numbers on
the dashboards, and a district whose kind its city changes moving between the city's and the county figures."""

import re

import pytest
from django.utils import timezone

from audit.actors import system
from checklists.models import ItemResult
from communities.main_urban import main_urban_confirm
from communities.models import (
    CityPage,
    CommunityKind,
    CommunityPage,
    DivisionKind,
    StreetKind,
    StreetPage,
    UnitKind,
    UnitPage,
)
from coverage.rollup import coverage_for_round, report_for, snapshot_create
from coverage.selectors import ALL
from tests.coverage.coverage_factory import make_smart


def by_code(entries: list[dict]) -> dict[str, dict]:
    return {entry["code"]: entry for entry in entries}


def villages(*codes: str, kind: str = CommunityKind.VILLAGERS) -> None:
    CommunityPage.objects.filter(code__in=codes).update(kind=kind)


def retire(model, *codes: str) -> None:
    model.objects.filter(code__in=codes).update(retired_at=timezone.now())


def test_village_committees_are_listed_but_not_counted(round_, demo):
    villages("379902001004", "379902001005")
    villages("379903001001", kind=CommunityKind.VILLAGERS_LIKE)
    villages("379903001002", kind=CommunityKind.RESIDENTS_LIKE)
    make_smart(round_, ["379902001001", "379902001004", "379903001002"])
    data = coverage_for_round(round_)
    city = by_code(data["cities"])["379900"]
    assert (city["communities"], city["smart_communities"]) == (13, 2)  # 16 less three village committees
    assert by_code(data["units"])["379902"]["communities"] == 7
    communities = by_code(data["communities"])
    assert len(communities) == 33  # every registered community is still listed
    village = communities["379902001004"]
    assert (village["kind"], village["in_scope"], village["smart"]) == ("村委会", False, True)
    assert communities["379903001001"]["kind"] == "类似村委会" and not communities["379903001001"]["in_scope"]
    assert communities["379903001002"]["kind"] == "类似居委会" and communities["379903001002"]["in_scope"]
    assert communities["379902001001"]["kind"] == "居委会" and communities["379902101001"]["kind"] == "居委会"
    assert not communities["379902101001"]["in_scope"]  # a 社区 under a 镇, as before


def test_communities_under_township_like_units_count(round_, demo):
    StreetPage.objects.filter(code="379921101").update(kind=StreetKind.TOWNSHIP_LIKE)  # 柳林镇 -> 类似乡级单位
    villages("379921101002")
    make_smart(round_, ["379921101001"])
    county = by_code(coverage_for_round(round_)["units"])["379921"]
    assert (county["communities"], county["smart_communities"]) == (5, 1)  # 4 under 街道, 1 under 类似乡级单位


def test_old_format_figures_stay_as_they_were(round_, demo):
    make_smart(round_, ["379902001001", "379921001001"])
    data = coverage_for_round(round_)
    assert {c["code"]: (c["communities"], c["smart_communities"]) for c in data["units"]} == {
        "379902": (9, 1), "379903": (7, 0), "379905": (3, 0), "379921": (4, 1), "379981": (3, 0)}
    assert all(u["kind_confirmed"] is True for u in data["units"])
    assert {c["kind"] for c in data["communities"]} == {"居委会"}


def test_retired_units_leave_the_rollup_and_keep_their_history(round_, demo, bureau):
    make_smart(round_, ["379903002003", "379905001001", "379902001001"])
    before = snapshot_create(round_=round_, user=bureau)
    retire(CommunityPage, "379903002003")
    retire(StreetPage, "379903001")  # 滨河街道: 4 communities
    retire(UnitPage, "379905")  # 示范海岛区, an independent district
    data = coverage_for_round(round_)
    city = by_code(data["cities"])["379900"]
    assert (city["communities"], city["smart_communities"]) == (11, 1)  # 16 - 1 - 4
    units = by_code(data["units"])
    assert "379905" not in units and units["379903"]["communities"] == 2
    listed = {c["code"] for c in data["communities"]}
    assert "379903002003" not in listed and "379903001001" not in listed and "379905001001" not in listed
    assert len(listed) == 33 - 1 - 4 - 3
    report = report_for(round_, ALL)
    assert report.tally("cities", "379900").retired == 5  # the city's main urban units: 1 + 4
    assert report.tally("units", "379903").retired == 5 and report.tally("units", "379905").counted == 0
    assert "379903001" not in report.streets
    # History stays: the answers are still there, and the snapshot frozen before still shows them.
    assert ItemResult.objects.filter(community__code="379903002003").count() == 25
    frozen = report_for(round_, ALL, snapshot=before)
    assert "379903002003" in {c["code"] for c in frozen.data["communities"]}
    assert by_code(frozen.data["cities"])["379900"]["smart_communities"] == 2


def test_a_retired_city_leaves_the_rollup(round_, demo):
    retire(CityPage, "379900")
    data = coverage_for_round(round_)
    assert data["cities"] == [] and data["units"] == [] and data["communities"] == []


def test_each_unit_says_whether_its_city_confirmed_its_kind(round_, demo):
    UnitPage.objects.filter(code="379903").update(division_kind=DivisionKind.DISTRICT, kind_confirmed=False)
    units = by_code(coverage_for_round(round_)["units"])
    assert units["379903"]["kind_confirmed"] is False and units["379902"]["kind_confirmed"] is True


def test_changing_a_districts_kind_moves_it_between_the_city_and_the_counties_at_once(round_, demo):
    make_smart(round_, ["379903001001", "379903001002", "379903001003", "379903001004"])
    city = CityPage.objects.get(code="379900")
    before = by_code(coverage_for_round(round_)["cities"])["379900"]
    assert (before["communities"], before["smart_communities"]) == (16, 4)
    main_urban_confirm(city=city, actor=system("tests"), kinds={
        "379902": UnitKind.MAIN_URBAN_DISTRICT, "379903": UnitKind.INDEPENDENT_DISTRICT,
        "379905": UnitKind.INDEPENDENT_DISTRICT})
    after = coverage_for_round(round_)
    city_after = by_code(after["cities"])["379900"]
    assert (city_after["communities"], city_after["smart_communities"]) == (9, 0)
    moved = by_code(after["units"])["379903"]
    assert (moved["assessed_as"], moved["kind"], moved["communities"]) == ("county", "independent_district", 7)
    assert (moved["smart_communities"], moved["points"], moved["star"]) == (4, 12, 4)  # 4 of 7 >= 50%


# --- both numbers on the dashboards -----------------------------------------------------------------------------

@pytest.fixture
def mixed(round_, demo):
    villages("379902001004", "379902001005")
    retire(CommunityPage, "379903002003")
    make_smart(round_, ["379902001001"])
    return round_


def row(html: str, attribute: str, code: str) -> str:
    return re.search(rf'{attribute}="{code}">(.*?)</tr>', html, re.S).group(1)


def test_the_index_shows_what_is_counted_and_what_is_not(client, bureau, mixed):
    client.force_login(bureau)
    page = client.get("/admin/coverage/").content.decode()
    city = row(page, "data-city", "379900")
    assert "村委会2个、乡镇下辖社区2个已登记，不计入；已撤销1个，不再计入" in city
    assert re.search(r'<td class="num">13</td>', city)  # counted
    assert "村委会2个、乡镇下辖社区2个已登记，不计入" in row(page, "data-unit", "379902")
    assert "已撤销1个，不再计入" in row(page, "data-unit", "379903")
    assert "—" in row(page, "data-unit", "379905")
    assert "村委会已登记、可以填报，但不计入" in page


def test_the_drill_down_says_why_a_community_is_not_counted(client, bureau, mixed):
    client.force_login(bureau)
    city = client.get("/admin/coverage/city/379900/").content.decode()
    assert "村委会2个、乡镇下辖社区2个已登记，不计入；已撤销1个，不再计入" in city
    unit = client.get("/admin/coverage/unit/379902/").content.decode()
    assert re.search(r'data-not-counted>2</td>', row(unit, "data-street", "379902001"))
    street = client.get("/admin/coverage/street/379902001/").content.decode()
    assert "村委会等 2 个已登记，不计入" in street
    assert "（村委会，不计入）" in row(street, "data-community", "379902001004")
    assert "不计入" not in row(street, "data-community", "379902001001")
    assert "（乡镇，不计入）" in client.get("/admin/coverage/street/379902101/").content.decode()
    community = client.get("/admin/coverage/community/379902001004/").content.decode()
    assert "村委会 ·" in community and "村委会，不计入" in community
    assert client.get("/admin/coverage/community/379903002003/").status_code == 404  # retired: left the roll-up
    sheet = client.get("/admin/coverage/sheet/city/379900/").content.decode()
    assert "村委会2个、乡镇下辖社区2个已登记，不计入" in sheet and ">13<" in sheet
