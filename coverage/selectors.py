"""Reads behind the coverage roll-up: a fixed handful of aggregate queries, whatever the number of communities.

Nothing here instantiates ItemResult objects: the province has ~10,000 communities x 25 items, so results are
only ever counted or reduced to one status letter in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from checklists.models import PASSES, Evidence, ItemResult, Status
from communities import policy
from communities.models import CityPage, CommunityPage, StreetPage, UnitPage
from communities.policy import Action
from standards.models import Round, RoundStatus

from .actions import CoverageAction
from .models import CoverageSnapshot

# One letter per item cell of the community x item matrix (exports, heat map, snapshots). A draft with anything in
# it is 草稿: the community's own work in progress, not a verifier's failure (issue 20). Snapshots frozen before
# D existed show such drafts as F.
PASSED, FAILED, PENDING, DRAFT, EMPTY = "P", "F", "S", "D", "N"
CELL_LABELS = {PASSED: _("通过"), FAILED: _("未通过"), PENDING: _("待审核"), DRAFT: _("草稿"), EMPTY: _("未填报")}


@dataclass(frozen=True)
class Scope:
    """The part of the province a user may see: city and unit codes, None meaning all of them."""

    city_codes: frozenset[str] | None = None
    unit_codes: frozenset[str] | None = None

    @property
    def everything(self) -> bool:
        return self.city_codes is None and self.unit_codes is None

    def has_city(self, code: str) -> bool:
        return self.city_codes is None or code in self.city_codes

    def has_unit(self, code: str) -> bool:
        return self.unit_codes is None or code in self.unit_codes


ALL = Scope()


def coverage_scope(user, action: Action = CoverageAction.VIEW_COVERAGE) -> Scope | None:
    """Return the cities and units whose coverage the user may see for `action`, or None when none."""
    paths = policy.scope_paths(user, action)
    if paths is None:
        return ALL
    cities = frozenset(policy.in_scope(user, action, CityPage.objects.all()).values_list("code", flat=True))
    units = frozenset(policy.in_scope(user, action, UnitPage.objects.all()).values_list("code", flat=True))
    return Scope(cities, units) if cities or units else None


def round_by_code(code: str | None) -> Round | None:
    """Return the round with this code, or the newest open round when no code is given."""
    rounds = Round.objects.select_related("standard")
    if code:
        return rounds.filter(code=code).first()
    return rounds.filter(status=RoundStatus.OPEN).order_by("-opened_at").first()


def rounds_all() -> QuerySet[Round]:
    """Return every round, newest first, for the round picker."""
    return Round.objects.select_related("standard").order_by("-opened_at")


class CityRow(NamedTuple):
    pk: int
    code: str
    name: str


class UnitRow(NamedTuple):
    pk: int
    code: str
    name: str
    kind: str
    city_id: int | None
    city_code: str | None
    kind_confirmed: bool
    retired: bool  # the unit or its city is retired: it has left the roll-up


class StreetRow(NamedTuple):
    pk: int
    code: str
    name: str
    kind: str
    unit_id: int | None
    retired: bool


class CommunityRow(NamedTuple):
    pk: int
    code: str
    name: str
    unit_id: int | None
    street_id: int | None
    street_kind: str | None
    kind: str
    retired: bool  # the community or its street is retired (the unit's and city's come with the unit row)


def city_rows(scope: Scope = ALL) -> list[CityRow]:
    """Return the cities in scope that are not retired, by code."""
    cities = CityPage.objects.filter(retired_at__isnull=True).order_by("code")
    if scope.city_codes is not None:
        cities = cities.filter(code__in=scope.city_codes)
    return [CityRow(*row) for row in cities.values_list("pk", "code", "title")]


def unit_rows(scope: Scope = ALL) -> list[UnitRow]:
    """Return the units in scope, retired ones included (their communities are tallied as retired), by code."""
    units = UnitPage.objects.order_by("code")
    if scope.unit_codes is not None:
        units = units.filter(code__in=scope.unit_codes)
    rows = units.values_list("pk", "code", "title", "kind", "city_id", "city__code", "kind_confirmed", "retired_at",
                             "city__retired_at")
    return [UnitRow(pk, code, name, kind, city_id, city_code, confirmed, bool(retired or city_retired))
            for pk, code, name, kind, city_id, city_code, confirmed, retired, city_retired in rows]


def street_rows(unit_ids: Iterable[int] | None = None) -> list[StreetRow]:
    """Return the streets of these units (all when None), by code."""
    streets = StreetPage.objects.order_by("code")
    if unit_ids is not None:
        streets = streets.filter(unit_id__in=list(unit_ids))
    rows = streets.values_list("pk", "code", "title", "kind", "unit_id", "retired_at")
    return [StreetRow(pk, code, name, kind, unit_id, retired is not None)
            for pk, code, name, kind, unit_id, retired in rows]


def passing_items(round_: Round, item_numbers: list[int]) -> QuerySet[ItemResult]:
    """Return the round's results that count: approved, with every rule and requirement holding."""
    results = ItemResult.objects.filter(PASSES, round=round_)
    if item_numbers and item_numbers == list(range(item_numbers[0], item_numbers[-1] + 1)):
        # A range test is markedly cheaper than IN (...) over a quarter of a million rows.
        return results.filter(item_number__gte=item_numbers[0], item_number__lte=item_numbers[-1])
    return results.filter(item_number__in=item_numbers)


def passed_counts(round_: Round, item_numbers: list[int], unit_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Return {community id: number of passing items} for communities with at least one (one grouped query)."""
    results = passing_items(round_, item_numbers)
    if unit_ids is not None:
        results = results.filter(community__unit_id__in=list(unit_ids))
    counts = results.order_by().values("community_id").annotate(n=Count("*"))
    return dict(counts.values_list("community_id", "n"))


class StandingCount(NamedTuple):
    """How many communities of one unit share a kind, a street kind and retirement, and how many are smart."""

    unit_id: int | None
    kind: str
    street_kind: str | None
    retired: bool  # the community or its street is retired (the unit's and city's come with the unit row)
    communities: int
    smart: int


def smart_communities(round_: Round, item_numbers: list[int]) -> QuerySet:
    """Return the ids of the communities with every item passing, as a subquery (grouped in SQL, never listed)."""
    passing = passing_items(round_, item_numbers).order_by().values("community_id").annotate(n=Count("*"))
    # One result per community and item (unique_item_result), so a count equal to the items means all pass.
    return passing.filter(n=len(item_numbers)).values("community_id")


def _retired_flag() -> Case:
    # Retired as "1"/"" computed by the database: reading two datetimes per row only to test them for NULL cost the
    # province-wide roll-up a converter call per row (62,074 rows at Shandong's size); text needs no converter.
    return Case(When(Q(retired_at__isnull=False) | Q(street__retired_at__isnull=False), then=Value("1")),
                default=Value(""), output_field=CharField())


def standing_counts(round_: Round, item_numbers: list[int],
                    unit_ids: Iterable[int] | None = None) -> list[StandingCount]:
    """Return the communities of these units (all when None) counted by unit, kind, street kind and retirement,
    with the smart ones among them: the whole roll-up's input in one grouped query (a few hundred rows for a
    province of 62,074 communities), so no community row reaches Python."""
    communities = CommunityPage.objects.all()
    if unit_ids is not None:
        communities = communities.filter(unit_id__in=list(unit_ids))
    smart = Count("pk", filter=Q(pk__in=smart_communities(round_, item_numbers))) if item_numbers else Value(0)
    rows = (communities.annotate(gone=_retired_flag()).order_by()
            .values("unit_id", "kind", "street__kind", "gone").annotate(n=Count("*"), smart=smart)
            .values_list("unit_id", "kind", "street__kind", "gone", "n", "smart"))
    return [StandingCount(unit_id, kind, street_kind, bool(gone), n, smart)
            for unit_id, kind, street_kind, gone, n, smart in rows]


def community_rows(unit_ids: Iterable[int] | None = None) -> list[CommunityRow]:
    """Return every community of these units (all when None), by code."""
    communities = CommunityPage.objects.order_by("code")
    if unit_ids is not None:
        communities = communities.filter(unit_id__in=list(unit_ids))
    rows = communities.annotate(gone=_retired_flag()).values_list("pk", "code", "title", "unit_id", "street_id",
                                                                  "street__kind", "kind", "gone")
    return [CommunityRow(pk, code, name, unit_id, street_id, street_kind, kind, bool(retired))
            for pk, code, name, unit_id, street_id, street_kind, kind, retired in rows]


def _cell_expression() -> Case:
    """Return the SQL that reduces a result to its matrix letter (see CELL_LABELS)."""
    has_photo = Exists(Evidence.objects.filter(result=OuterRef("pk"), removed_at__isnull=True))
    return Case(
        When(PASSES, then=Value(PASSED)),
        When(status=Status.SUBMITTED, then=Value(PENDING)),
        When(Q(status=Status.DRAFT, values={}, not_applicable={}) & ~has_photo, then=Value(EMPTY)),
        When(status=Status.DRAFT, then=Value(DRAFT)),
        default=Value(FAILED),
        output_field=CharField(),
    )


def item_cells(
    round_: Round,
    item_numbers: list[int],
    *,
    community_ids: Iterable[int] | None = None,
    unit_ids: Iterable[int] | None = None,
) -> dict[int, str]:
    """Return {community id: one letter per item of `item_numbers`} for communities with any result.

    A community missing from the answer has no result at all: every item 未填报.
    """
    position = {number: index for index, number in enumerate(item_numbers)}
    results = ItemResult.objects.filter(round=round_, item_number__in=item_numbers)
    if community_ids is not None:
        results = results.filter(community_id__in=list(community_ids))
    if unit_ids is not None:
        results = results.filter(community__unit_id__in=list(unit_ids))
    rows: Iterator = results.order_by().values_list("community_id", "item_number", _cell_expression()).iterator(
        chunk_size=10_000
    )
    cells: dict[int, list[str]] = {}
    for community_id, number, letter in rows:
        row = cells.get(community_id)
        if row is None:
            row = cells[community_id] = [EMPTY] * len(item_numbers)
        row[position[number]] = letter
    return {community_id: "".join(row) for community_id, row in cells.items()}


def unit_code_of_street(code: str) -> str | None:
    """Return the code of the unit a street belongs to."""
    return StreetPage.objects.filter(code=code).values_list("unit__code", flat=True).first()


def unit_code_of_community(code: str) -> str | None:
    """Return the code of the unit a community belongs to."""
    return CommunityPage.objects.filter(code=code).values_list("unit__code", flat=True).first()


def community_by_code(code: str) -> CommunityPage | None:
    """Return the community with this code."""
    return CommunityPage.objects.filter(code=code).first()


def community_results(round_: Round, community: CommunityPage) -> dict[int, ItemResult]:
    """Return the community's results in the round by item number (25 rows at most)."""
    results = ItemResult.objects.filter(round=round_, community=community).annotate(
        live_photos=Count("photos", filter=Q(photos__removed_at__isnull=True))
    )
    return {result.item_number: result for result in results}


def snapshots_of(round_: Round) -> QuerySet[CoverageSnapshot]:
    """Return the round's snapshots, newest first, without their (large) data."""
    return CoverageSnapshot.objects.filter(round=round_).defer("data").select_related("created_by")


def snapshot_by_id(round_: Round, snapshot_id) -> CoverageSnapshot | None:
    """Return one snapshot of the round, or None."""
    try:
        return CoverageSnapshot.objects.filter(round=round_, pk=int(snapshot_id)).first()
    except (TypeError, ValueError):
        return None
