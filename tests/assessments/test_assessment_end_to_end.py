"""Done when: `assessment --format json` on imported values (import_assessment) and imported community results
(import_results, through the real review services) gives the figures the standard defines, for a city and a
county: the five community-derived indicators, an override, the deduction, totals, bands and next_star."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from communities.models import CityPage, Role, UnitPage
from standards import scoring
from tests.assessments.assessment_factory import write_jsonl
from tests.checklists.photo_factory import make_jpeg
from tests.coverage.coverage_factory import build_region, passing_values
from tests.factories import bundled_data
from tests.replay import committed, replayed

CITY, MAIN, COUNTY = "379800", "379811", "379821"
UNITS = [(MAIN, "测试区", "main_urban_district", [("001", "subdistrict", 3), ("101", "town", 1)]),
         (COUNTY, "测试县", "county", [("001", "subdistrict", 4), ("101", "town", 1)])]


def result_lines(round_code: str, standard) -> list[dict]:
    """The paper results: smart communities, answers to items 8, 12, 13 and 22, and towns that never count."""
    lines = []

    def add(code, item, values, status="approved"):
        lines.append({"community": code, "round": round_code, "item": item, "values": values,
                      "photos": ["photo.jpg"], "status": status})

    def smart(code, overrides=None):
        for item in standard.items:
            add(code, item["number"], {**passing_values(item), **(overrides or {}).get(item["number"], {})})

    failing_grid = {"closed_loop": ["discovery", "reporting_tracking"]}
    # City main urban area: 3 街道 communities, one smart; item 22 passes in two of them.
    smart(MAIN + "001001")
    add(MAIN + "001002", 22, passing_values(standard.item(22)))
    add(MAIN + "001003", 22, failing_grid)
    smart(MAIN + "101001")  # a town: smart, but outside the statistics (不含乡镇)
    # County: 4 街道 communities, two smart.
    lights = {"kwh_without_smart": "1000", "kwh_with_smart": "700"}
    smart(COUNTY + "001001", {8: {"smart_lights": 60, "public_lights": 100, **lights},
                              12: {"shared_parking_spaces": 6, "parking_spaces": 100}})
    smart(COUNTY + "001002", {8: {"smart_lights": 30, "public_lights": 50, **lights},
                              12: {"shared_parking_spaces": 3, "parking_spaces": 40}})
    add(COUNTY + "001003", 8, {"smart_lights": 40, "public_lights": 50, **lights})
    add(COUNTY + "001003", 13, {**passing_values(standard.item(13)), "telemedicine": False})
    add(COUNTY + "001003", 22, failing_grid)
    add(COUNTY + "001004", 8, {"smart_lights": 50, "public_lights": 50, **lights}, status="submitted")  # not yet
    add(COUNTY + "101001", 8, {"smart_lights": 100, "public_lights": 100, **lights})  # a town
    return lines


ASSESSMENT_LINES = [
    {"round": "2026", "level": "city", "code": CITY, "indicator": 1, "values": {"percent": 100}},
    {"round": "2026", "level": "city", "code": CITY, "indicator": 2, "values": {"download_speed": "30"}},
    {"round": "2026", "level": "city", "code": CITY, "indicator": 4,
     "values": {"coverage_percent": 90, "integrity_percent": "88.5"}, "note": "公安局 2026-03 统计"},
    {"round": "2026", "level": "city", "code": CITY, "indicator": 45, "values": {"incidents": 1}},
    {"round": "2026", "level": "city", "code": CITY, "indicator": 48, "values": {"experiences": 3}},
    {"round": "2026", "level": "county", "code": COUNTY, "indicator": 1, "values": {"percent": "92.5"}},
    {"round": "2026", "level": "county", "code": COUNTY, "indicator": 2, "values": {"download_speed": 25}},
    {"round": "2026", "level": "county", "code": COUNTY, "indicator": 51,
     "values": {"local_highlights": 1, "experiences": 2}},
    {"round": "2026", "level": "county", "code": COUNTY, "indicator": 48, "values": {"incidents": 2}},
    {"round": "2026", "level": "county", "code": COUNTY, "indicator": 28, "values": {"percent": 85},
     "note": "县网格办 2026 年台账：含未纳入系统的农村社区"},
]


@pytest.fixture
def imported(round_, scoring_standard, make_user, tmp_path):
    """The imports' rows: built by the real commands in a process's first test, replayed after (tests/replay.py)."""

    def build():
        build_region(UNITS)
        clerk = make_user("clerk", Role.VERIFIER, UnitPage.objects.get(code=MAIN), UnitPage.objects.get(code=COUNTY))
        make_user("city-bureau", Role.BUREAU, CityPage.objects.get(code=CITY))
        (tmp_path / "photo.jpg").write_bytes(make_jpeg(320, 240))
        results = write_jsonl(tmp_path / "results.jsonl", result_lines(round_.code, round_.standard))
        call_command("import_results", str(results), "--user", clerk.username, stdout=io.StringIO())
        values = write_jsonl(tmp_path / "assessment.jsonl", ASSESSMENT_LINES)
        out = io.StringIO()
        call_command("import_assessment", str(values), "--user", "city-bureau", stdout=out)
        assert "保存指标10项" in out.getvalue()

    replayed("assessment-end-to-end", committed(build))
    return round_


def output(*args) -> str:
    out = io.StringIO()
    call_command("assessment", "--round", "2026", *args, stdout=out)
    return out.getvalue()


def expected_plan(level: str, entry: dict) -> list[dict]:
    """The fewest indicator moves to the next band (then the least overshoot, then the lowest numbers), found
    independently of the planner by brute force over single moves and pairs."""
    from itertools import combinations

    level_def = scoring.resolve_level(scoring_data(), level)
    needed = entry["next_star"]["points_needed"]
    points = {i["number"]: i["points"] for i in entry["indicators"]}
    moves = [(ind["number"], t["points"]) for ind in level_def["indicators"] for t in ind["tiers"]
             if t["points"] > points[ind["number"]]]
    for size in (1, 2):
        plans = [plan for plan in combinations(sorted(moves), size) if len({n for n, _ in plan}) == size
                 and sum(to - points[n] for n, to in plan) >= needed]
        if plans:
            best = min(plans, key=lambda plan: (sum(to - points[n] for n, to in plan) - needed, plan))
            return [{"indicator": n, "from_points": points[n], "to_points": to} for n, to in best]
    raise AssertionError("no plan of one or two moves")


def scoring_data():
    return bundled_data(scoring.BUNDLED)


def test_assessment_json_gives_the_figures_the_standard_defines(imported):
    data = json.loads(output("--format", "json"))
    assert data["round"] == "2026" and data["standard"] == {"code": "SD-ZHCS-2019", "version": 1}
    city, county = data["assessments"]
    assert (city["level"], city["code"], city["name"]) == ("city", CITY, "测试市")
    assert (county["level"], county["code"], county["name"]) == ("county", COUNTY, "测试县")

    c = {i["number"]: i for i in city["indicators"]}
    assert c[1] == {"number": 1, "points": 10, "star": 5, "source": "entered", "values": {"percent": "100"}}
    assert c[2]["points"] == 10 and c[2]["values"] == {"download_speed": "30"}
    assert c[4]["values"] == {"coverage_percent": "90", "integrity_percent": "88.5"} and c[4]["points"] == 6
    assert c[45] == {"number": 45, "points": -5, "star": None, "source": "entered", "values": {"incidents": 1}}
    assert c[48]["points"] == 50 and c[48]["star"] == 5
    # Grid management: item 22 passes in 2 of the 3 街道 communities of the main urban area: 66.67 % -> ≥60 %.
    assert c[24] == {"number": 24, "points": 4, "star": 2, "source": "community", "values": {"percent": "66.67"},
                     "basis": {"communities": 3, "meeting": 2, "answered": 3}}
    # Coverage: 1 smart of 3 (the town's smart community does not count): 33.33 % -> ≥30 %: 12 points.
    assert c[49] == {"number": 49, "points": 12, "star": 4, "source": "community", "values": {"percent": "33.33"},
                     "basis": {"communities": 3, "meeting": 1}}
    assert c[3] == {"number": 3, "points": 0, "star": None, "source": "entered", "values": {}, "missing": True}
    assert city["total"] == 10 + 10 + 6 - 5 + 50 + 4 + 12 == 87
    assert city["star"] == 1
    assert city["next_star"]["star"] == 2 and city["next_star"]["points_needed"] == 13
    assert city["next_star"]["plan"] == expected_plan("city", city)

    k = {i["number"]: i for i in county["indicators"]}
    # Smart lighting: (60 + 30 + 40) / (100 + 50 + 50) over the approved answers = 65 % -> ≥50 %: 2 points.
    assert k[18] == {"number": 18, "points": 2, "star": 2, "source": "community", "values": {"percent": "65.00"},
                     "basis": {"communities": 4, "answered": 3, "numerator": 130, "denominator": 200}}
    # Tele-medicine: 2 of all 4 in-scope communities (answered or not) = 50 % -> below the 60 % tier.
    assert k[19] == {"number": 19, "points": 0, "star": None, "source": "community", "values": {"percent": "50.00"},
                     "basis": {"communities": 4, "meeting": 2, "answered": 3}}
    # Parking sharing: (6 + 3) / (100 + 40) = 6.428… % -> ≥5 %: 2 points, shown rounded half-up.
    assert k[20] == {"number": 20, "points": 2, "star": 3, "source": "community", "values": {"percent": "6.43"},
                     "basis": {"communities": 4, "answered": 2, "numerator": 9, "denominator": 140}}
    # Grid management overridden by the bureau: its figure scores, the computed one stays visible.
    assert k[28]["source"] == "override" and k[28]["values"] == {"percent": "85"} and k[28]["points"] == 8
    assert k[28]["note"].startswith("县网格办")
    assert k[28]["computed"] == {"values": {"percent": "50.00"}, "points": 3, "star": 1,
                                 "basis": {"communities": 4, "meeting": 2, "answered": 3}}
    assert k[52] == {"number": 52, "points": 12, "star": 4, "source": "community", "values": {"percent": "50.00"},
                     "basis": {"communities": 4, "meeting": 2}}
    assert k[48]["points"] == -10 and k[1]["points"] == 8 and k[2]["points"] == 8 and k[51]["points"] == 50
    assert county["total"] == 8 + 8 + 50 - 10 + 2 + 0 + 2 + 8 + 12 == 80
    assert county["star"] == 1
    assert county["next_star"]["points_needed"] == 20
    assert county["next_star"]["plan"] == expected_plan("county", county)


def test_level_and_code_select_and_an_unstarted_region_shows_its_community_figures(imported):
    only = json.loads(output("--level", "county", "--code", COUNTY))["assessments"]
    assert [a["code"] for a in only] == [COUNTY]
    assert [a["code"] for a in json.loads(output("--level", "city"))["assessments"]] == [CITY]


def test_csv_and_xlsx_carry_the_same_figures(imported, tmp_path):
    text = output("--format", "csv")
    assert text.splitlines()[0].startswith("级别,代码,名称,指标编号")
    assert "合计" in text and ",87," in text and ",80," in text
    assert "社区停车位共享率" in text and "社区停车位共享率：6.43%" in text
    path = tmp_path / "assessment.xlsx"
    call_command("assessment", "--round", "2026", "--format", "xlsx", "--out", str(path), stdout=io.StringIO(),
                 stderr=io.StringIO())
    book = load_workbook(path, read_only=True)
    summary = list(book["自评汇总"].iter_rows(values_only=True))
    assert summary[0][:6] == ("级别", "代码", "名称", "总分", "满分", "星级")
    assert [(row[1], row[3], row[5]) for row in summary[1:]] == [(CITY, 87, "1星"), (COUNTY, 80, "1星")]
    details = list(book["指标明细"].iter_rows(values_only=True))
    assert len(details) == 1 + 49 + 1 + 52 + 1
    assert Decimal(str(summary[1][3])) == 87
