"""The roll-up aggregated in SQL (coverage_totals, for screens that show only cities and units) against the one that
lists every community (coverage_for_round, the contract JSON): the same cities, units and tallies on a province with
every standing (counted, 村委会, under 镇/乡, retired community, street, unit and city) and partial results."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checklists.models import Status
from communities.models import CityPage, CommunityKind, CommunityPage, StreetPage, UnitPage
from coverage.rollup import compute, coverage_for_round, coverage_totals
from coverage.selectors import ALL, Scope
from tests.coverage.coverage_factory import build_region, make_smart, set_results

pytestmark = pytest.mark.django_db

SECOND_CITY = ("379800", "测试市")


@pytest.fixture
def province(round_, demo):
    """The demo city plus a second city, with every standing that the roll-up tells apart."""
    codes = build_region([
        ("379801", "甲区", "main_urban_district", [("001", "subdistrict", 4), ("101", "town", 2)]),
        ("379821", "乙县", "county", [("001", "subdistrict", 3), ("401", "township_like", 2)]),
        ("379881", "丙市", "county_city", [("001", "subdistrict", 2)]),
    ], city=SECOND_CITY)
    CommunityPage.objects.filter(code__in=["379902001004", "379801001002"]).update(kind=CommunityKind.VILLAGERS)
    CommunityPage.objects.filter(code="379903001001").update(kind=CommunityKind.VILLAGERS_LIKE)
    CommunityPage.objects.filter(code="379903001002").update(kind=CommunityKind.RESIDENTS_LIKE)
    now = timezone.now()
    CommunityPage.objects.filter(code="379902001003").update(retired_at=now)
    StreetPage.objects.filter(code="379821001").update(retired_at=now)
    UnitPage.objects.filter(code="379881").update(retired_at=now)
    # Smart ones in every standing (counted, village, town, retired, township-like), and near misses.
    make_smart(round_, ["379902001001", "379902001002", "379902001003", "379902001004", "379902101001",
                        "379903001002", "379801001001", "379801001002", "379801101001", "379821001001",
                        "379821401001", "379881001001", *codes[-1:]])
    set_results(round_, "379801001003", {3: (Status.SUBMITTED, True)})
    set_results(round_, "379821401002", {7: (Status.APPROVED, False)})
    return round_


def without_communities(data: dict) -> dict:
    return {key: value for key, value in data.items() if key not in ("communities", "generated_at")}


def recount(data: dict) -> dict[str, tuple[int, int]]:
    """Each unit's counted and smart communities, recounted from the listed communities (an independent oracle)."""
    found: dict[str, list[int]] = {}
    for community in data["communities"]:
        if community["in_scope"]:
            figures = found.setdefault(community["unit_code"], [0, 0])
            figures[0] += 1
            figures[1] += community["smart"]
    return {code: tuple(figures) for code, figures in found.items()}


SCOPES = [
    ALL,
    Scope(city_codes=frozenset({"379800"}), unit_codes=frozenset({"379801", "379821", "379881"})),
    Scope(city_codes=frozenset(), unit_codes=frozenset({"379921", "379902"})),
]


@pytest.mark.parametrize("scope", SCOPES, ids=["province", "city", "units"])
def test_totals_equal_the_listing_roll_up(province, scope):
    listed, totals = compute(province, scope), compute(province, scope, communities=False)
    assert "communities" not in totals.data
    assert without_communities(totals.data) == without_communities(listed.data)
    assert totals.excluded == listed.excluded
    assert without_communities(coverage_totals(province, scope)) == without_communities(
        coverage_for_round(province, scope))
    units = {u["code"]: (u["communities"], u["smart_communities"]) for u in totals.data["units"]}
    assert {code: figures for code, figures in units.items() if figures[0]} == recount(listed.data)


def test_every_standing_is_tallied(province):
    totals = compute(province, communities=False)
    units = {u["code"]: u for u in totals.data["units"]}
    assert "379881" not in units  # a retired unit leaves the roll-up
    assert (units["379801"]["communities"], units["379801"]["smart_communities"]) == (3, 1)  # a 村委会 left out
    assert (units["379821"]["communities"], units["379821"]["smart_communities"]) == (2, 1)  # retired street
    assert totals.excluded["units"]["379801"] == {"counted": 3, "villages": 1, "rural": 2, "retired": 0}
    assert totals.excluded["units"]["379821"] == {"counted": 2, "villages": 0, "rural": 0, "retired": 3}
    city = {c["code"]: c for c in totals.data["cities"]}["379900"]
    assert (city["communities"], city["smart_communities"]) == (13, 3)


def test_a_retired_city_takes_its_units_out(province):
    CityPage.objects.filter(code="379800").update(retired_at=timezone.now())
    totals = coverage_totals(province)
    assert [c["code"] for c in totals["cities"]] == ["379900"]
    assert not [u for u in totals["units"] if u["city_code"] == "379800"]
    assert without_communities(totals) == without_communities(coverage_for_round(province))


def test_totals_take_three_queries_whatever_the_size(province):
    assert province.standard  # loaded once per round object, whatever the size
    with CaptureQueriesContext(connection) as few:
        coverage_totals(province, SCOPES[1])
    with CaptureQueriesContext(connection) as many:
        coverage_totals(province)
    assert len(few) == len(many) == 3
