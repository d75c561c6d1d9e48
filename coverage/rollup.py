"""The 智慧社区覆盖率 roll-up for the city (附件1) and county (附件2) applications, and its frozen snapshots.

`coverage_for_round(round_)` returns the contract JSON of interfaces.md "Coverage". The arithmetic (exact
fractions, tiers, next tier) is checklists.scoring; the queries are checklists.selectors.coverage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.actors import log, log_user
from communities import policy
from communities.counting import Standing, Tally, kind_name, standing
from communities.models import COUNTY_KINDS, CommunityKind, StreetKind, UnitKind, assessed_as
from standards.models import Round, StandardVersion

from . import scoring
from . import selectors as q
from .actions import CoverageAction
from .models import CoverageSnapshot

SNAPSHOT_CREATED = "coverage.snapshot_created"
LOG_ACTIONS = {SNAPSHOT_CREATED: _("生成覆盖率快照")}

CITY, COUNTY = "city", "county"
# The standard's data carries the indicator's name; its definition is only in the policy text.
DEFINITION = _("辖区内智慧社区数量/社区总数量")
SCOPE_NOTE = _("数据统计范围不含乡镇：只统计街道（及类似乡级单位）下辖的社区（居委会、类似居委会），"
               "村委会和已撤销的单位不计入")
DETAIL = "detail"  # extra key of a snapshot's data: streets and the item matrix, not part of the contract JSON


def rollup_of(standard: StandardVersion, level: str) -> dict:
    """Return the standard's roll-up section for "city" or "county" (indicator and tiers)."""
    return standard.data.get("rollup", {}).get(level, {"indicator": "", "tiers": []})


def number(value: Decimal) -> float:
    """Return a display percentage as a JSON number (50.00 -> 50.0); never used for comparisons."""
    return float(value)


@lru_cache(maxsize=4096)
def _percent(smart: int, total: int) -> float:
    return number(scoring.percent_display(scoring.coverage_fraction(smart, total)))


def _score(tiers: list[dict], smart: int, total: int) -> dict:
    figures = scoring.score(tiers, smart, total)
    return {
        "coverage_percent": number(figures["coverage_percent"]),
        "points": figures["points"],
        "star": figures["star"],
        "next_tier": figures["next_tier"],
    }


@dataclass
class Computation:
    """The contract JSON plus what the dashboard needs to drill down (streets of each community) and to show
    what is not counted (`excluded`: "units"/"cities" -> code -> a counting.Tally's dict)."""

    data: dict
    streets: dict[str, dict] = field(default_factory=dict)  # street code -> name, kind, unit code and tallies
    community_streets: dict[str, str] = field(default_factory=dict)  # community code -> street code
    community_ids: dict[str, int] = field(default_factory=dict)
    unit_ids: list[int] | None = None  # the scope's units, None for the whole province
    excluded: dict[str, dict[str, dict]] = field(default_factory=dict)


def _standings() -> dict[tuple, Standing]:
    """Return every (community kind, street kind, retired) -> standing, so the hot loop only looks one up."""
    kinds = [*CommunityKind.values, ""]
    streets = [*StreetKind.values, None]
    return {(k, s, r): standing(kind=k, street_kind=s, retired=r)
            for k in kinds for s in streets for r in (False, True)}


def compute(round_: Round, scope: q.Scope = q.ALL, *, detail: bool = False, communities: bool = True) -> Computation:
    """Compute the round's coverage over `scope` in a fixed handful of queries whatever its size: the cities' and
    units' figures aggregated in SQL (three queries) or, with `communities`, the list of every community, tallied on
    the way (four; one more for detail).

    Without `communities` the data has no "communities" key: for screens that show only cities and units (the
    dashboard, the province overview), which at Shandong's size need not read 62,074 community rows.
    """
    standard = round_.standard
    cities = q.city_rows(scope)
    units = q.unit_rows(scope)
    unit_ids = None if scope.unit_codes is None else [u.pk for u in units]
    listing = _list_communities(round_, units, unit_ids, detail=detail) if communities or detail else None
    # Listed anyway, the communities are tallied on the way; otherwise SQL aggregates them (one grouped query).
    tallies, smart_by_unit = (listing.tallies, listing.smart_by_unit) if listing else _tallies(round_, units, unit_ids)
    live_units = [u for u in units if not u.retired]
    data = {
        "round": round_.code,
        "standard": {"code": standard.code, "version": standard.version},
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "cities": [_city_entry(city, standard, live_units, tallies, smart_by_unit) for city in cities],
        "units": [_unit_entry(unit, standard, tallies[unit.pk].counted, smart_by_unit[unit.pk]) for unit in live_units],
    }
    computation = Computation(data, unit_ids=unit_ids, excluded=_excluded(cities, units, tallies))
    if listing is not None:
        data["communities"] = listing.communities
        if detail:
            _add_detail(computation, listing.rows, {u.pk: u.code for u in units}, listing.street_tallies)
    return computation


def _tallies(round_: Round, units: list[q.UnitRow], unit_ids: list[int] | None
             ) -> tuple[dict[int, Tally], dict[int, int]]:
    """Return each unit's communities by standing and its smart counted ones, from one grouped query."""
    retired_units = {u.pk for u in units if u.retired}
    tallies = {u.pk: Tally() for u in units}  # unit id -> communities by standing
    smart_by_unit = {u.pk: 0 for u in units}
    standings = _standings()
    for row in q.standing_counts(round_, round_.standard.item_numbers, unit_ids):
        if row.unit_id not in tallies:
            continue
        retired = row.retired or row.unit_id in retired_units
        where = standings.get((row.kind, row.street_kind, retired))
        if where is None:  # a kind this code does not know: the rule decides (and says it is not counted)
            where = standing(kind=row.kind, street_kind=row.street_kind, retired=retired)
        tallies[row.unit_id].add(where, row.communities)
        if where is Standing.COUNTED:
            smart_by_unit[row.unit_id] += row.smart
    return tallies, smart_by_unit


@dataclass
class Listing:
    """Every community of the scope as the contract lists it, and what the roll-up needs of them."""

    rows: list[q.CommunityRow]
    communities: list[dict]  # the contract's "communities": every registered community that is not retired
    tallies: dict[int, Tally]  # unit id -> communities by standing
    smart_by_unit: dict[int, int]  # unit id -> smart counted communities
    street_tallies: dict[int, list[int]]  # street id -> counted, smart, not counted (with detail only)


def _list_communities(round_: Round, units: list[q.UnitRow], unit_ids: list[int] | None, *, detail: bool
                      ) -> Listing:
    """List every community of these units (all when None), tallying them as the roll-up does (two queries)."""
    numbers = round_.standard.item_numbers
    total_items = len(numbers)
    passed_by = q.passed_counts(round_, numbers, unit_ids)
    rows = q.community_rows(unit_ids)

    # The hot loop of the province-wide listing (62,074 rows at Shandong's size): one dict look-up per row.
    unit_codes = {u.pk: u.code for u in units}
    retired_units = {u.pk for u in units if u.retired}
    tallies = {u.pk: Tally() for u in units}
    smart_by_unit = dict.fromkeys(unit_codes, 0)
    street_tallies: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    rates = [_percent(n, total_items) for n in range(total_items + 1)]
    standings = _standings()
    kind_names = {kind: kind_name(kind) for kind in [*CommunityKind.values, "", None]}  # once, not once per row
    communities = []
    for pk, code, name, unit_id, street_id, street_kind, kind, retired in rows:
        gone = retired or unit_id in retired_units
        where = standings.get((kind, street_kind, gone))
        if where is None:  # a kind this code does not know: the rule decides (and says it is not counted)
            where = standing(kind=kind, street_kind=street_kind, retired=gone)
        if unit_id in tallies:
            tallies[unit_id].add(where)
        if where is Standing.RETIRED:
            continue  # retired: gone from the roll-up, its answers and trail stay where they were
        passed = passed_by.get(pk, 0)  # at most total_items: one result per item, only the standard's items
        smart = total_items > 0 and passed == total_items
        counted = where is Standing.COUNTED
        communities.append({
            "code": code, "name": name, "unit_code": unit_codes.get(unit_id), "in_scope": counted,
            "kind": kind_names.get(kind) or kind_name(kind), "items_passed": passed, "items_total": total_items,
            "pass_rate_percent": rates[passed], "smart": smart,
        })
        if counted and unit_id in tallies:
            smart_by_unit[unit_id] += smart
        if detail:
            street_tally = street_tallies[street_id]
            street_tally[0 if counted else 2] += 1
            street_tally[1] += counted and smart
    return Listing(rows, communities, tallies, smart_by_unit, street_tallies)


def _main_urban(units: Iterable[q.UnitRow], city_pk: int) -> list[q.UnitRow]:
    return [u for u in units if u.city_id == city_pk and u.kind == UnitKind.MAIN_URBAN_DISTRICT]


def _excluded(cities: list[q.CityRow], units: list[q.UnitRow], tallies: dict[int, Tally]) -> dict:
    """Return what each live unit and city has registered but not counted, and what has been retired.

    A city's figures come from its main urban units, so its tally does too (a retired one's communities retired).
    """
    by_city = {
        city.code: sum((tallies[u.pk] for u in _main_urban(units, city.pk)), Tally()).as_dict() for city in cities
    }
    return {"units": {u.code: tallies[u.pk].as_dict() for u in units if not u.retired}, "cities": by_city}


def _add_detail(computation: Computation, rows: list[q.CommunityRow], unit_codes: dict, street_tallies: dict) -> None:
    """Attach the streets (retired ones left out) and each community's street and id, for drilling down."""
    streets = {s.pk: s for s in q.street_rows(computation.unit_ids)}
    computation.streets = {
        s.code: {"name": s.name, "kind": s.kind, "unit_code": unit_codes.get(s.unit_id),
                 "communities": street_tallies[s.pk][0], "smart_communities": street_tallies[s.pk][1],
                 "not_counted": street_tallies[s.pk][2]}
        for s in streets.values() if not s.retired
    }
    listed = {c["code"] for c in computation.data["communities"]}
    computation.community_streets = {r.code: streets[r.street_id].code for r in rows
                                     if r.street_id in streets and r.code in listed}
    computation.community_ids = {r.code: r.pk for r in rows if r.code in listed}


def _unit_entry(unit: q.UnitRow, standard: StandardVersion, communities: int, smart: int) -> dict:
    entry = {
        "code": unit.code, "name": unit.name, "kind": unit.kind, "city_code": unit.city_code,
        "assessed_as": assessed_as(unit.kind), "kind_confirmed": unit.kind_confirmed,
        "communities": communities, "smart_communities": smart,
    }
    if unit.kind in COUNTY_KINDS:
        entry.update(_score(rollup_of(standard, COUNTY)["tiers"], smart, communities))
    else:
        entry["coverage_percent"] = _percent(smart, communities)
    return entry


def _city_entry(city: q.CityRow, standard: StandardVersion, units: list[q.UnitRow], tallies: dict[int, Tally],
                smart_by_unit: dict[int, int]) -> dict:
    main_urban = _main_urban(units, city.pk)
    communities = sum(tallies[u.pk].counted for u in main_urban)
    smart = sum(smart_by_unit[u.pk] for u in main_urban)
    return {
        "code": city.code, "name": city.name, "communities": communities, "smart_communities": smart,
        **_score(rollup_of(standard, CITY)["tiers"], smart, communities),
    }


def coverage_for_round(round_: Round, scope: q.Scope = q.ALL) -> dict:
    """Return the round's coverage as the contract JSON (interfaces.md, "Coverage")."""
    return compute(round_, scope).data


def coverage_totals(round_: Round, scope: q.Scope = q.ALL) -> dict:
    """Return the contract JSON without its "communities": the roll-up of cities and units, aggregated in SQL."""
    return compute(round_, scope, communities=False).data


def restrict(data: dict, scope: q.Scope) -> dict:
    """Return the contract JSON cut down to the cities and units of `scope` (for frozen snapshots)."""
    if scope.everything:
        return data
    units = [u for u in data["units"] if scope.has_unit(u["code"])]
    unit_codes = {u["code"] for u in units}
    return {
        **data,
        "cities": [c for c in data["cities"] if scope.city_codes is None or c["code"] in scope.city_codes],
        "units": units,
        "communities": [c for c in data["communities"] if c["unit_code"] in unit_codes],
    }


def contract(data: dict) -> dict:
    """Return a snapshot's data without its drill-down detail: exactly the contract JSON."""
    return {key: value for key, value in data.items() if key != DETAIL}


@transaction.atomic
def snapshot_create(*, round_: Round, user, note: str = "") -> CoverageSnapshot:
    """Freeze the round's whole coverage, with the item matrix and streets, into an immutable snapshot."""
    policy.require(user, CoverageAction.SNAPSHOT)
    computation = compute(round_, detail=True)
    numbers = round_.standard.item_numbers
    cells = q.item_cells(round_, numbers)
    empty = q.EMPTY * len(numbers)
    data = dict(computation.data)
    data[DETAIL] = {
        "items": numbers,
        "matrix": {code: cells.get(pk, empty) for code, pk in computation.community_ids.items()},
        "streets": computation.streets,
        "community_streets": computation.community_streets,
        "excluded": computation.excluded,
    }
    snapshot = CoverageSnapshot.objects.create(round=round_, data=data, note=note.strip()[:200],
                                               created_by=log_user(user))
    log(snapshot, SNAPSHOT_CREATED, actor=user, data={"round": round_.code, "snapshot": snapshot.pk,
                                                       "note": snapshot.note})
    return snapshot


@dataclass
class Report:
    """Coverage figures for one user's scope, live or from a snapshot, with drill-down helpers."""

    round: Round
    data: dict
    streets: dict[str, dict]
    community_streets: dict[str, str]
    snapshot: CoverageSnapshot | None = None
    community_ids: dict[str, int] = field(default_factory=dict)
    unit_ids: list[int] | None = None
    excluded: dict[str, dict[str, dict]] = field(default_factory=dict)  # see Computation

    def tally(self, level: str, code: str) -> Tally:
        """Return what a unit ("units") or city ("cities") has counted, registered but not counted, and retired."""
        return Tally.of(self.excluded.get(level, {}).get(code))

    @property
    def items(self) -> list[int]:
        return self.round.standard.item_numbers

    def matrix(self, community_codes: list[str] | None = None) -> dict[str, str]:
        """Return one status letter per item (see selectors CELL_LABELS) for these communities, or all of them."""
        codes = [c["code"] for c in self.data["communities"]] if community_codes is None else community_codes
        empty = q.EMPTY * len(self.items)
        if self.snapshot is not None:
            frozen = self.snapshot.data.get(DETAIL, {}).get("matrix", {})
            return {code: frozen.get(code, empty) for code in codes}
        if community_codes is None:
            cells = q.item_cells(self.round, self.items, unit_ids=self.unit_ids)
        else:
            ids = [self.community_ids[code] for code in codes if code in self.community_ids]
            cells = q.item_cells(self.round, self.items, community_ids=ids)
        return {code: cells.get(self.community_ids.get(code), empty) for code in codes}


def report_for(round_: Round, scope: q.Scope, snapshot: CoverageSnapshot | None = None, *,
               communities: bool = True) -> Report:
    """Return the live figures for `scope`, or the snapshot's frozen ones cut down to it.

    With `communities=False` live figures leave out the communities and streets (see `compute`); a snapshot's are
    already in memory and stay.
    """
    if snapshot is None:
        c = compute(round_, scope, detail=communities, communities=communities)
        return Report(round_, c.data, c.streets, c.community_streets, community_ids=c.community_ids,
                      unit_ids=c.unit_ids, excluded=c.excluded)
    detail = snapshot.data.get(DETAIL, {})
    data = restrict(contract(snapshot.data), scope)
    units = {u["code"] for u in data["units"]}
    cities = {c["code"] for c in data["cities"]}
    streets = {code: s for code, s in detail.get("streets", {}).items() if s.get("unit_code") in units}
    frozen = detail.get("excluded", {})
    excluded = {"units": {k: v for k, v in frozen.get("units", {}).items() if k in units},
                "cities": {k: v for k, v in frozen.get("cities", {}).items() if k in cities}}
    return Report(round_, data, streets, detail.get("community_streets", {}), snapshot=snapshot, excluded=excluded)
