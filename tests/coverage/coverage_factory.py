"""Builders for coverage tests: a region of any shape, results in bulk, passing values per item."""

from __future__ import annotations

from typing import Any

from checklists.models import ItemResult, Status
from communities.models import CityPage, CommunityPage
from standards.models import Round
from tests.factories import CityFactory, CommunityFactory, StreetFactory, UnitFactory

ITEMS = range(1, 26)


def build_region(units: list[tuple], city: tuple[str, str] = ("379800", "测试市")) -> list[str]:
    """Build a region of any shape: units are (code, name, kind, [(street suffix, street kind, communities)]).

    The city is reused when it exists already. Return the community codes in the order given.
    """
    city_page = CityPage.objects.filter(code=city[0]).first() or CityFactory(code=city[0], title=city[1])
    codes = []
    for unit_code, unit_name, unit_kind, streets in units:
        unit = UnitFactory(parent=city_page, code=unit_code, title=unit_name, kind=unit_kind)
        for suffix, street_kind, count in streets:
            street = StreetFactory(parent=unit, code=unit_code + suffix, title=f"街道{suffix}", kind=street_kind)
            for n in range(1, count + 1):
                codes.append(CommunityFactory(parent=street, code=f"{street.code}{n:03d}", households=100).code)
    return codes


def set_results(round_: Round, code: str, statuses: dict[int, tuple[str, bool]] | None = None) -> None:
    """Give a community a result for every item: approved and passing unless `statuses` says otherwise."""
    community = CommunityPage.objects.get(code=code)
    statuses = statuses or {}
    ItemResult.objects.bulk_create([
        ItemResult(round=round_, community=community, item_number=n, values={"filled": 1},
                   status=statuses.get(n, (Status.APPROVED, True))[0], rules_pass=statuses.get(n, (None, True))[1])
        for n in ITEMS
    ])


def make_smart(round_: Round, codes: list[str]) -> None:
    """Make each community smart: all 25 items approved with every rule holding."""
    for code in codes:
        set_results(round_, code)


def passing_values(item: dict) -> dict[str, Any]:
    """Return raw values under which every rule and requirement of an item holds."""
    values: dict[str, Any] = {}
    for field in item["fields"]:
        kind = field["kind"]
        if kind == "bool":
            values[field["key"]] = True
        elif kind == "choices":
            values[field["key"]] = [option["key"] for option in field["options"]]
        elif kind == "text":
            values[field["key"]] = "基于大数据的社区服务"
    for rule in item.get("rules", ()):
        if rule["kind"] == "ratio":
            values.update({rule["numerator"]: 100, rule["denominator"]: 100})
        elif rule["kind"] == "reduction":
            values.update({rule["baseline"]: "100", rule["actual"]: "0"})
        else:
            values[rule["field"]] = str(rule["value"] + 1 if rule["op"] == "gt" else rule["value"])
    return values


# The coverage JSON contract (shared/spec/interfaces.md, "Coverage"): the keys each entry must carry.
TOP_KEYS = {"round", "standard", "generated_at", "cities", "units", "communities"}
CITY_KEYS = {"code", "name", "communities", "smart_communities", "coverage_percent", "points", "star", "next_tier"}
NEXT_KEYS = {"star", "points", "smart_communities_needed"}
COUNTY_KEYS = {"code", "name", "kind", "city_code", "assessed_as", "kind_confirmed", "communities",
               "smart_communities", "coverage_percent", "points", "star", "next_tier"}
MAIN_URBAN_KEYS = {"code", "name", "kind", "city_code", "assessed_as", "kind_confirmed", "communities",
                   "smart_communities", "coverage_percent"}
COMMUNITY_KEYS = {"code", "name", "unit_code", "in_scope", "kind", "items_passed", "items_total",
                  "pass_rate_percent", "smart"}
