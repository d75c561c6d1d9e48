"""The coverage roll-up: scope, what passes, every tier boundary, next tier, query count, snapshots."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry

from audit.models import ChainLink
from checklists.evidence import evidence_add
from checklists.models import ItemResult, Status
from communities.models import CommunityPage
from coverage.actions import CoverageAction
from coverage.models import CoverageSnapshot
from coverage.rollup import coverage_for_round, report_for, restrict, snapshot_create
from coverage.selectors import ALL, Scope, coverage_scope, item_cells
from tests.checklists.photo_factory import make_jpeg
from tests.coverage.coverage_factory import (
    CITY_KEYS,
    COMMUNITY_KEYS,
    COUNTY_KEYS,
    MAIN_URBAN_KEYS,
    TOP_KEYS,
    build_region,
    make_smart,
    set_results,
)
from tests.replay import replayed


def by_code(entries: list[dict]) -> dict[str, dict]:
    return {entry["code"]: entry for entry in entries}


# --- scope ---------------------------------------------------------------------------------------------


def test_towns_and_townships_are_excluded_and_counties_assessed_alone(round_, demo):
    # Smart: one subdistrict community of each main urban unit, a town and a township community (out of scope),
    # and two county communities (the county's own figure, never the city's).
    make_smart(round_, ["379902001001", "379903001001", "379902101001", "379921201001", "379921001001",
                        "379921001002"])
    data = coverage_for_round(round_)
    city = by_code(data["cities"])["379900"]
    assert (city["communities"], city["smart_communities"]) == (16, 2)  # 9 + 7 subdistrict communities
    units = by_code(data["units"])
    assert (units["379902"]["communities"], units["379902"]["smart_communities"]) == (9, 1)
    assert units["379902"]["assessed_as"] == "city_main_urban" and set(units["379902"]) == MAIN_URBAN_KEYS
    county = units["379921"]
    assert county["assessed_as"] == "county" and set(county) == COUNTY_KEYS
    assert (county["communities"], county["smart_communities"], county["coverage_percent"]) == (4, 2, 50.0)
    assert (county["points"], county["star"]) == (12, 4)
    assert {units[c]["assessed_as"] for c in ("379981", "379905")} == {"county"}
    communities = by_code(data["communities"])
    town = communities["379902101001"]
    assert town["smart"] and not town["in_scope"]  # smart, but not counted anywhere
    assert communities["379902001001"]["in_scope"] and communities["379902001001"]["smart"]


def test_contract_keys_and_json_numbers(round_, demo):
    make_smart(round_, ["379902001001"])
    data = coverage_for_round(round_)
    assert set(data) == TOP_KEYS
    assert data["round"] == "2026" and data["standard"] == {"code": "SD-ZHSQ-2019", "version": 1}
    assert data["generated_at"].endswith("+08:00")
    assert all(set(c) == CITY_KEYS for c in data["cities"])
    assert all(set(c) == COMMUNITY_KEYS for c in data["communities"])
    text = json.dumps(data)
    assert '"coverage_percent": 6.25' in text  # 1 of 16, a JSON number
    assert '"pass_rate_percent": 100.0' in text
    assert len(data["communities"]) == CommunityPage.objects.count() == 33


# --- what passes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("status, rules_pass", [
    (Status.DRAFT, True), (Status.SUBMITTED, True), (Status.RETURNED, True), (Status.APPROVED, False),
])
def test_only_approved_items_whose_rules_hold_pass(round_, demo, status, rules_pass):
    set_results(round_, "379902001001", {7: (status, rules_pass)})
    community = by_code(coverage_for_round(round_)["communities"])["379902001001"]
    assert (community["items_passed"], community["smart"], community["pass_rate_percent"]) == (24, False, 96.0)


def test_a_missing_item_means_not_smart(round_, demo):
    make_smart(round_, ["379902001001"])
    ItemResult.objects.filter(community__code="379902001001", item_number=25).delete()
    community = by_code(coverage_for_round(round_)["communities"])["379902001001"]
    assert (community["items_passed"], community["items_total"], community["smart"]) == (24, 25, False)


# --- tiers ---------------------------------------------------------------------------------------------

CITY_CASES = [  # smart of 10 main urban communities -> points, star, next tier (star, points, needed)
    (2, 20.0, 0, None, (4, 12, 1)),
    (3, 30.0, 12, 4, (5, 15, 3)),  # exactly 30%: >= holds
    (4, 40.0, 12, 4, (5, 15, 2)),
    (5, 50.0, 12, 4, (5, 15, 1)),  # exactly 50%: > does not hold
    (6, 60.0, 15, 5, None),
]
COUNTY_CASES = [  # smart of 10 county communities
    (4, 40.0, 0, None, (4, 12, 1)),
    (5, 50.0, 12, 4, (5, 15, 4)),  # exactly 50%: >= holds
    (6, 60.0, 12, 4, (5, 15, 3)),
    (7, 70.0, 12, 4, (5, 15, 2)),
    (8, 80.0, 12, 4, (5, 15, 1)),  # exactly 80%: > does not hold
    (9, 90.0, 15, 5, None),
]
UNITS = [
    # Two main urban units (6 + 4 subdistrict communities, plus a town the city must ignore) and a county.
    ("379801", "甲区", "main_urban_district", [("001", "subdistrict", 6), ("101", "town", 2)]),
    ("379802", "乙区", "main_urban_district", [("001", "subdistrict", 4)]),
    ("379821", "丙县", "county", [("001", "subdistrict", 10), ("201", "township", 1)]),
    ("379881", "丁市", "county_city", [("001", "subdistrict", 7)]),
]


@pytest.fixture
def region(round_):
    codes = replayed("rollup-region", lambda: build_region(UNITS))  # built once, then replayed (tests/replay.py)
    return {
        "city": [c for c in codes if c[:6] in ("379801", "379802") and c[6:9] == "001"],
        "county": [c for c in codes if c.startswith("379821001")],
        "county_city": [c for c in codes if c.startswith("379881")],
        "town": [c for c in codes if c[6:9] in ("101", "201")],
    }


def expected_next(next_tier):
    return None if next_tier is None else dict(zip(("star", "points", "smart_communities_needed"), next_tier,
                                                   strict=True))


@pytest.mark.parametrize("smart, percent, points, star, next_tier", CITY_CASES)
def test_city_tier_boundaries(round_, region, smart, percent, points, star, next_tier):
    # The smart communities straddle both main urban units; the towns are smart too and must not count.
    make_smart(round_, region["city"][:smart] + region["town"])
    city = coverage_for_round(round_)["cities"][0]
    assert (city["communities"], city["smart_communities"]) == (10, smart)
    assert (city["coverage_percent"], city["points"], city["star"]) == (percent, points, star)
    assert city["next_tier"] == expected_next(next_tier)


@pytest.mark.parametrize("smart, percent, points, star, next_tier", COUNTY_CASES)
def test_county_tier_boundaries(round_, region, smart, percent, points, star, next_tier):
    make_smart(round_, region["county"][:smart] + region["town"])
    data = coverage_for_round(round_)
    county = by_code(data["units"])["379821"]
    assert (county["communities"], county["smart_communities"]) == (10, smart)
    assert (county["coverage_percent"], county["points"], county["star"]) == (percent, points, star)
    assert county["next_tier"] == expected_next(next_tier)
    assert data["cities"][0]["smart_communities"] == 0  # counties never feed the city figure


@pytest.mark.parametrize("smart, points, needed", [
    # 7 communities: >= 50% needs 3.5 -> 4 smart; > 80% needs more than 5.6 -> 6 smart.
    (3, 0, 1), (4, 12, 2), (5, 12, 1), (6, 15, None),
])
def test_smart_communities_needed_when_the_threshold_is_not_a_whole_community(round_, region, smart, points, needed):
    make_smart(round_, region["county_city"][:smart])
    unit = by_code(coverage_for_round(round_)["units"])["379881"]
    assert unit["points"] == points
    assert (unit["next_tier"] or {}).get("smart_communities_needed") == needed


def test_no_communities_scores_nothing(round_, region):
    data = coverage_for_round(round_)
    CommunityPage.objects.filter(unit__code="379881").update(street=None)  # none in scope any more
    unit = by_code(coverage_for_round(round_)["units"])["379881"]
    assert (unit["communities"], unit["coverage_percent"], unit["points"], unit["star"]) == (0, 0.0, 0, None)
    assert unit["next_tier"] == {"star": 4, "points": 12, "smart_communities_needed": None}
    assert by_code(data["units"])["379881"]["communities"] == 7


# --- queries -------------------------------------------------------------------------------------------


def queries_for(round_) -> int:
    with CaptureQueriesContext(connection) as captured:
        coverage_for_round(round_)
    return len(captured.captured_queries)


def test_query_count_does_not_grow_with_communities(round_):
    small = build_region([("379801", "甲区", "main_urban_district", [("001", "subdistrict", 5)])])
    make_smart(round_, small[:2])
    round_.refresh_from_db()
    few = queries_for(round_)
    large = build_region([("379802", "乙区", "county", [("001", "subdistrict", 35)])])
    make_smart(round_, large[:20])
    set_results(round_, large[30], {3: (Status.SUBMITTED, True)})
    round_.refresh_from_db()
    assert CommunityPage.objects.count() == 40
    assert queries_for(round_) == few <= 5


# --- item matrix ---------------------------------------------------------------------------------------


def test_item_cells_letters(round_, demo):
    worker = get_user_model().objects.get(username="worker")
    set_results(round_, "379902001001", {
        1: (Status.SUBMITTED, True), 2: (Status.RETURNED, True), 3: (Status.APPROVED, False), 4: (Status.DRAFT, False),
    })
    ItemResult.objects.filter(community__code="379902001001", item_number=5).update(
        status=Status.DRAFT, values={}, not_applicable={}
    )
    photo_only = ItemResult.objects.get(community__code="379902001001", item_number=6)
    ItemResult.objects.filter(pk=photo_only.pk).update(status=Status.DRAFT, values={}, rules_pass=False)
    evidence_add(result=photo_only, user=worker, data=make_jpeg(64, 48), filename="x.jpg")
    community = CommunityPage.objects.get(code="379902001001")
    cells = item_cells(round_, list(range(1, 26)))
    # A started draft (values, or only a photo) is D, the community's own work, not F (issue 20).
    assert cells[community.pk][:7] == "SFFDNDP"
    assert CommunityPage.objects.get(code="379902001002").pk not in cells  # no result at all: every item 未填报


# --- snapshots and scope -------------------------------------------------------------------------------


def test_snapshot_freezes_the_figures(round_, demo):
    bureau = get_user_model().objects.get(username="bureau")
    make_smart(round_, ["379902001001"])
    snapshot = snapshot_create(round_=round_, user=bureau, note="申报定稿")
    make_smart(round_, ["379902001002", "379902001003"])
    live = report_for(round_, ALL)
    frozen = report_for(round_, ALL, CoverageSnapshot.objects.get(pk=snapshot.pk))
    assert live.data["cities"][0]["smart_communities"] == 3
    assert frozen.data["cities"][0]["smart_communities"] == 1
    assert set(frozen.data) == TOP_KEYS  # the drill-down detail stays out of the contract JSON
    assert frozen.matrix(["379902001001", "379902001002"]) == {"379902001001": "P" * 25, "379902001002": "N" * 25}
    assert frozen.streets["379902001"]["smart_communities"] == 1
    assert snapshot.created_by == bureau and snapshot.note == "申报定稿"
    entry = ModelLogEntry.objects.get(action="coverage.snapshot_created")  # on the audit trail, like every write
    assert entry.user_id == bureau.pk and entry.object_id == str(snapshot.pk)
    assert entry.data == {"round": round_.code, "snapshot": snapshot.pk, "note": "申报定稿"}
    assert ChainLink.objects.filter(log_model="wagtailcore.modellogentry", entry_id=entry.pk).exists()
    assert log_action_registry.get_action_label("coverage.snapshot_created") == "生成覆盖率快照"


def test_only_bureau_and_admins_snapshot(round_, demo):
    verifier = get_user_model().objects.get(username="verifier")
    with pytest.raises(PermissionDenied):
        snapshot_create(round_=round_, user=verifier)
    assert not CoverageSnapshot.objects.exists()


def test_scope_of_roles(demo, make_user):
    users = get_user_model().objects
    bureau = coverage_scope(users.get(username="bureau"))
    assert bureau.city_codes == {"379900"} and "379921" in bureau.unit_codes
    verifier = coverage_scope(users.get(username="verifier"))
    assert verifier.city_codes == frozenset() and verifier.unit_codes == {"379902", "379903"}
    assert coverage_scope(users.get(username="worker")) is None
    assert coverage_scope(users.get(username="admin")) is ALL
    assert coverage_scope(users.get(username="verifier"), CoverageAction.COVERAGE_API) is None


def test_restricted_figures_match_the_full_ones(round_, demo):
    make_smart(round_, ["379902001001", "379921001001"])
    scope = Scope(city_codes=frozenset(), unit_codes=frozenset({"379921"}))
    live = coverage_for_round(round_, scope)
    cut = restrict(coverage_for_round(round_), scope)
    assert live["units"] == cut["units"] and live["communities"] == cut["communities"]
    assert live["cities"] == cut["cities"] == []
    assert {c["unit_code"] for c in live["communities"]} == {"379921"}
