"""The self-assessment counts the communities the coverage counts (communities.counting), says what it leaves out,
drops retired units from its lists and the province overview while their pages stay readable, and follows a
district whose kind its city changes at once."""

import re

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments import community, selectors
from assessments.regions import region_by, regions
from assessments.sources import source_of
from audit.actors import system
from communities.main_urban import main_urban_confirm
from communities.models import CityPage, CommunityKind, CommunityPage, StreetKind, StreetPage, UnitKind, UnitPage
from tests.assessments.assessment_factory import answer, smart

C = "3799210010"  # the demo county's 街道 communities: C + "01" … C + "04"


def indicators(round_, region) -> dict[int, dict]:
    return {i["number"]: i for i in selectors.result_for(round_, region).as_dict()["indicators"]}


def test_village_committees_and_retired_communities_are_not_counted(assess, county):
    CommunityPage.objects.filter(code=C + "04").update(kind=CommunityKind.VILLAGERS)
    CommunityPage.objects.filter(code=C + "03").update(retired_at=timezone.now())
    StreetPage.objects.filter(code="379921201").update(kind=StreetKind.TOWNSHIP_LIKE)  # 桃源乡 -> 类似乡级单位
    smart(assess, C + "01", {13: {"telemedicine": True}})
    for code in (C + "02", C + "03", C + "04"):
        answer(assess, code, 13, {"telemedicine": True})
    by_number = indicators(assess, county)
    # Counted: C01, C02 and the 类似乡级单位's community; the 村委会 and the retired one answer, but do not count.
    assert by_number[19]["basis"] == {"communities": 3, "meeting": 2, "answered": 2}
    assert by_number[52]["basis"] == {"communities": 3, "meeting": 1}
    assert by_number[52]["values"] == {"percent": "33.33"}
    rows = community.drill_down(assess, county, source_of(selectors.indicator_def(
        selectors.scoring_standard(assess), "county", 19)))
    assert [row.code for row in rows] == [C + "01", C + "02", "379921201001"]


def test_the_page_shows_both_numbers_beside_each_computed_value(client, bureau, assess):
    CommunityPage.objects.filter(code__in=[C + "03", C + "04"]).update(kind=CommunityKind.VILLAGERS)
    client.force_login(bureau)
    page = client.get("/admin/assessments/2026/county/379921/").content.decode()
    row = re.search(r'data-indicator="52"(.*?)</tr>', page, re.S).group(1)
    assert "范围内社区2个，其中智慧社区0个；另有村委会2个、乡镇下辖社区3个已登记，不计入" in row
    indicator = client.get("/admin/assessments/2026/county/379921/indicators/52/").content.decode()
    assert "另有村委会2个、乡镇下辖社区3个已登记，不计入" in indicator
    entry = selectors.result_for(assess, region_by("county", "379921")).as_dict()
    coverage = next(i for i in entry["indicators"] if i["number"] == 52)
    assert coverage["basis"] == {"communities": 2, "meeting": 0}  # the contract's basis: unchanged keys


def test_retired_regions_leave_the_lists_and_the_overview_but_stay_readable(client, assess):
    UnitPage.objects.filter(code="379905").update(retired_at=timezone.now())
    assert "379905" not in {r.code for r in regions()}
    retired = region_by("county", "379905")
    assert retired is not None and retired.retired
    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    overview = client.get("/admin/assessments/overview/", {"round": "2026"}).content.decode()
    assert 'data-region="379921"' in overview and 'data-region="379905"' not in overview
    index = client.get("/admin/assessments/", {"round": "2026"}).content.decode()
    assert 'data-region="379905"' not in index
    page = client.get("/admin/assessments/2026/county/379905/")
    assert page.status_code == 200 and "本单位已撤销" in page.content.decode()
    CityPage.objects.filter(code="379900").update(retired_at=timezone.now())
    assert regions() == []


def test_a_district_made_independent_moves_to_the_counties_at_once(assess, city):
    for code in ("379903001001", "379903001002", "379903001003", "379903001004"):
        smart(assess, code)
    before = indicators(assess, city)[49]
    assert before["basis"] == {"communities": 16, "meeting": 4}
    assert region_by("county", "379903") is None
    main_urban_confirm(city=CityPage.objects.get(code="379900"), actor=system("tests"), kinds={
        "379902": UnitKind.MAIN_URBAN_DISTRICT, "379903": UnitKind.INDEPENDENT_DISTRICT,
        "379905": UnitKind.INDEPENDENT_DISTRICT})
    assert indicators(assess, city)[49]["basis"] == {"communities": 9, "meeting": 0}
    moved = region_by("county", "379903")
    assert moved is not None and moved.kind == UnitKind.INDEPENDENT_DISTRICT
    coverage = indicators(assess, moved)[52]
    assert coverage["basis"] == {"communities": 7, "meeting": 4} and (coverage["points"], coverage["star"]) == (12, 4)
