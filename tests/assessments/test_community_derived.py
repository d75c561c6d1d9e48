"""Community-derived indicators from stored answers: in-scope communities only (街道, the city's main urban
area, the county's own unit), approved answers only, exact fractions, the drill-down, and a fixed number of
queries however many cities and counties."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import community, selectors
from assessments.regions import region_by, regions
from assessments.sources import source_of
from checklists.models import Status
from tests.assessments.assessment_factory import answer, smart
from tests.coverage.coverage_factory import build_region

C = "3799210010"  # the demo county's 街道 communities: C + "01" … C + "04"
TOWN = "379921101001"


def county_answers(round_) -> None:
    smart(round_, C + "01", {8: {"smart_lights": 45, "public_lights": 50}, 12: {"shared_parking_spaces": 3,
                                                                                 "parking_spaces": 40},
                             13: {"telemedicine": True}})
    smart(round_, C + "02", {8: {"smart_lights": "10", "public_lights": "40"},
                             12: {"shared_parking_spaces": 1, "parking_spaces": 20}, 13: {"telemedicine": True}})
    answer(round_, C + "03", 8, {"smart_lights": 50, "public_lights": 50}, status=Status.SUBMITTED)  # not yet
    answer(round_, C + "03", 13, {"telemedicine": True}, rules_pass=False)  # approved: the rule is not asked
    answer(round_, C + "03", 22, {"closed_loop": ["discovery"]}, rules_pass=False)  # approved, does not pass
    answer(round_, C + "04", 13, {"telemedicine": False})
    for item, values in ((8, {"smart_lights": 100, "public_lights": 100}), (13, {"telemedicine": True})):
        answer(round_, TOWN, item, values)  # a town: never counted (数据统计范围不含乡镇)


def test_county_indicators_from_the_communities(assess, county):
    county_answers(assess)
    entry = selectors.result_for(assess, county).as_dict()
    by_number = {i["number"]: i for i in entry["indicators"]}
    lighting = by_number[18]  # 55 / 90 = 61.11 % -> ≥50 %: 2 points
    assert lighting["values"] == {"percent": "61.11"} and (lighting["points"], lighting["star"]) == (2, 2)
    assert lighting["basis"] == {"communities": 4, "answered": 2, "numerator": 55, "denominator": 90}
    tele = by_number[19]  # 3 of the 4 in-scope communities -> 75 % -> ≥60 %: 2 points
    assert tele["values"] == {"percent": "75.00"} and tele["points"] == 2
    assert tele["basis"] == {"communities": 4, "meeting": 3, "answered": 4}
    parking = by_number[20]  # 4 / 60 = 6.67 % -> ≥5 %: 2 points
    assert parking["values"] == {"percent": "6.67"} and (parking["points"], parking["star"]) == (2, 3)
    grid = by_number[28]  # items 22 passing: the two smart communities -> 50 % -> 3 points
    assert grid["values"] == {"percent": "50.00"} and grid["points"] == 3
    assert grid["basis"] == {"communities": 4, "meeting": 2, "answered": 3}
    coverage = by_number[52]  # 2 smart of 4 -> 50 % -> 12 points
    assert coverage["values"] == {"percent": "50.00"} and (coverage["points"], coverage["star"]) == (12, 4)
    assert coverage["basis"] == {"communities": 4, "meeting": 2}
    assert all(by_number[n]["source"] == "community" for n in (18, 19, 20, 28, 52))
    assert entry["total"] == 2 + 2 + 2 + 3 + 12


def test_city_indicators_come_from_its_main_urban_area(assess, city):
    county_answers(assess)  # the county's communities are not the city's
    smart(assess, "379902001001")
    answer(assess, "379903001001", 22, {"closed_loop": []})
    answer(assess, "379902101001", 22, {"closed_loop": []})  # a town in a main urban district
    by_number = {i["number"]: i for i in selectors.result_for(assess, city).as_dict()["indicators"]}
    assert by_number[24]["basis"] == {"communities": 16, "meeting": 2, "answered": 2}
    assert by_number[24]["values"] == {"percent": "12.50"} and by_number[24]["points"] == 0
    assert by_number[49]["basis"] == {"communities": 16, "meeting": 1}
    assert by_number[49]["values"] == {"percent": "6.25"}


def test_drill_down_names_each_community_and_what_it_adds(assess, county):
    county_answers(assess)
    indicator = selectors.indicator_def(selectors.scoring_standard(assess), "county", 18)
    rows = {row.code: row for row in community.drill_down(assess, county, source_of(indicator))}
    assert set(rows) == {C + "01", C + "02", C + "03", C + "04"}  # no town
    assert (rows[C + "01"].contribution.numerator, rows[C + "01"].contribution.denominator) == (45, 50)
    assert rows[C + "03"].status == "待审核" and not rows[C + "03"].contribution.counted
    assert rows[C + "04"].status == "未填报"
    coverage = selectors.indicator_def(selectors.scoring_standard(assess), "county", 52)
    smart_rows = community.drill_down(assess, county, source_of(coverage))
    assert [row.code for row in smart_rows if row.contribution.meets] == [C + "01", C + "02"]


def test_a_fixed_number_of_queries_however_many_regions(assess, city, county):
    build_region([("379801", "另一县", "county", [("001", "subdistrict", 3)]),
                  ("379802", "另一区", "main_urban_district", [("001", "subdistrict", 2)])])
    county_answers(assess)
    answer(assess, "379801001001", 8, {"smart_lights": 1, "public_lights": 2})
    selectors.results_for(assess, [city], plan=False)  # per-process caches (content types, pins) warm, as in use
    with CaptureQueriesContext(connection) as two:
        selectors.results_for(assess, [city, county], plan=False)
    everything = regions()
    assert len(everything) == 6  # two cities, four county-level units
    with CaptureQueriesContext(connection) as many:
        results = selectors.results_for(assess, everything, plan=False)
    assert len(many) == len(two) <= 10
    other = next(r for r in results if r.region.code == "379801").as_dict()
    assert next(i for i in other["indicators"] if i["number"] == 18)["values"] == {"percent": "50.00"}
    assert region_by("county", "379802") is None  # a main urban district is not assessed as a county
