"""Reads behind the community-derived indicators: a fixed handful of aggregate queries for any number of
cities and counties (the province overview covers ~156), plus the drill-down to one region's communities.

A city is computed over its main urban area, a county over its own unit; only the communities that count
(communities.counting: 居委会 and 类似居委会 under 街道 or 类似乡级单位, none retired) and only approved
answers. The smart-community coverage (智慧社区覆盖率) is the coverage roll-up's own figure (coverage.rollup),
never recounted here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from checklists.models import ItemResult, Status
from communities.counting import Tally, counted_q, tallies_by_unit
from communities.models import CommunityPage, UnitKind, UnitPage
from coverage import rollup
from coverage.selectors import Scope
from standards.models import Round

from .models import Level
from .regions import Region
from .sources import ROLLUP, Contribution, Derived, Source, contribution, derive, share, source_of

RegionKey = tuple[str, str]  # (level, code)


@dataclass(frozen=True)
class _Units:
    region_of: dict[int, RegionKey]  # unit id -> the region it counts for
    codes: dict[int, str]


def _units(regions: Iterable[Region]) -> _Units:
    """Return the units each region's communities come from (one query)."""
    regions = list(regions)
    cities = {r.pk: r.key for r in regions if r.level == Level.CITY}
    counties = {r.pk: r.key for r in regions if r.level == Level.COUNTY}
    rows = UnitPage.objects.filter(
        Q(pk__in=list(counties)) | Q(city_id__in=list(cities), kind=UnitKind.MAIN_URBAN_DISTRICT)
    ).values_list("pk", "code", "kind", "city_id")
    region_of, codes = {}, {}
    for pk, code, kind, city_id in rows:
        key = counties.get(pk) if kind != UnitKind.MAIN_URBAN_DISTRICT else cities.get(city_id)
        if key is not None:
            region_of[pk], codes[pk] = key, code
    return _Units(region_of, codes)


def sources_by_number(indicators: Iterable[Mapping[str, Any]]) -> dict[int, Source]:
    """Return the community source of each community-derived indicator, by number."""
    return {ind["number"]: source for ind in indicators if (source := source_of(ind)) is not None}


def _answers(round_: Round, items: set[int], unit_ids: list[int]) -> Iterable[tuple]:
    """Yield (unit id, item number, values, rules_pass) of approved in-scope answers (one query)."""
    if not items:
        return []
    return (ItemResult.objects
            .filter(round=round_, status=Status.APPROVED, item_number__in=sorted(items),
                    community__unit_id__in=unit_ids)
            .filter(counted_q("community__"))
            .order_by().values_list("community__unit_id", "item_number", "values", "rules_pass")
            .iterator(chunk_size=5_000))


def _coverage_data(round_: Round, units: _Units, regions: list[Region], *, communities: bool = True) -> dict:
    """Return the coverage roll-up's JSON for these regions' cities and units (its fixed handful of queries), with
    their communities listed only when asked (the province overview needs only the totals)."""
    scope = Scope(city_codes=frozenset(r.code for r in regions if r.level == Level.CITY),
                  unit_codes=frozenset(units.codes.values()))
    return (rollup.coverage_for_round if communities else rollup.coverage_totals)(round_, scope)


def _coverage(round_: Round, units: _Units, regions: list[Region]) -> dict[RegionKey, Derived]:
    """Return 智慧社区覆盖率 per region: smart communities over in-scope communities, as the roll-up counts them."""
    data = _coverage_data(round_, units, regions, communities=False)
    found = {(Level.CITY, c["code"]): share(c["smart_communities"], c["communities"]) for c in data["cities"]}
    for unit in data["units"]:
        if (Level.COUNTY, unit["code"]) in {r.key for r in regions}:
            found[(Level.COUNTY, unit["code"])] = share(unit["smart_communities"], unit["communities"])
    return found


def derived_for(round_: Round, regions: Iterable[Region], indicators: Mapping[str, list[dict]]
                ) -> dict[RegionKey, dict[int, Derived]]:
    """Return every community-derived indicator's value and basis for each region, by (level, code) and number.

    `indicators` maps a level to its indicator definitions (the pinned scoring standard's).
    """
    regions = list(regions)
    units = _units(regions)
    unit_ids = list(units.region_of)
    sources = {level: sources_by_number(defs) for level, defs in indicators.items()}
    items = {s.item for by_number in sources.values() for s in by_number.values() if s.kind != ROLLUP}
    definitions = {n: round_.standard.item(n) for n in items if n in round_.standard.item_numbers}

    tallies: dict[RegionKey, Tally] = defaultdict(Tally)
    for unit_id, tally in tallies_by_unit(unit_ids).items():
        tallies[units.region_of[unit_id]] += tally
    answers: dict[tuple[RegionKey, int], list[tuple]] = defaultdict(list)
    for unit_id, item, values, rules_pass in _answers(round_, set(definitions), unit_ids):
        answers[(units.region_of[unit_id], item)].append((values, rules_pass))
    coverage = _coverage(round_, units, regions) if any(
        s.kind == ROLLUP for by_number in sources.values() for s in by_number.values()) else {}

    found: dict[RegionKey, dict[int, Derived]] = {}
    for region in regions:
        by_number = {}
        tally = tallies[region.key]
        for number, source in sources.get(region.level, {}).items():
            if source.kind == ROLLUP:
                by_number[number] = coverage.get(region.key) or share(0, 0)
            elif (item := definitions.get(source.item)) is None:
                by_number[number] = Derived(None, {}, _("本轮社区标准中没有第%(item)s项") % {"item": source.item})
            else:
                judged = [contribution(source, item, approved=True, rules_pass=passes, values=values)
                          for values, passes in answers[(region.key, source.item)]]
                by_number[number] = derive(source, judged, tally.counted)
        # What the region registered but does not count, beside every computed value (never in the contract JSON).
        found[region.key] = {number: replace(derived, others=tally.as_dict()) for number, derived in by_number.items()}
    return found


@dataclass(frozen=True)
class CommunityRow:
    """One in-scope community in an indicator's drill-down."""

    code: str
    name: str
    unit: str
    street: str
    status: str  # the item's status label, "未填报" without a result
    contribution: Contribution


def drill_down(round_: Round, region: Region, source: Source) -> list[CommunityRow]:
    """Return each in-scope community of the region with what it adds to the indicator (a fixed few queries)."""
    units = _units([region])
    communities = list(CommunityPage.objects.filter(counted_q(), unit_id__in=list(units.region_of))
                       .order_by("code").values_list("pk", "code", "title", "unit__title", "street__title"))
    ids = [row[0] for row in communities]
    if source.kind == ROLLUP:
        smart = {c["code"] for c in _coverage_data(round_, units, [region])["communities"] if c["smart"]}
        return [CommunityRow(code, name, unit, street, _("智慧社区") if code in smart else _("未达标"),
                             Contribution(counted=True, meets=code in smart))
                for pk, code, name, unit, street in communities]
    item = round_.standard.item(source.item) if source.item in round_.standard.item_numbers else None
    results = {pk: (status, values, rules_pass) for pk, status, values, rules_pass in ItemResult.objects.filter(
        round=round_, item_number=source.item, community_id__in=ids).values_list(
        "community_id", "status", "values", "rules_pass")}
    rows = []
    for pk, code, name, unit, street in communities:
        status, values, rules_pass = results.get(pk, (None, {}, False))
        judged = contribution(source, item, approved=status == Status.APPROVED, rules_pass=rules_pass,
                              values=values or {})
        rows.append(CommunityRow(code, name, unit, street, str(Status(status).label) if status else _("未填报"),
                                judged))
    return rows

