"""What is assessed: a city (level city, its main urban area) or a county-level unit (level county), read once
as a plain Region that the policy can scope (it names its tree path)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from communities import policy
from communities.models import COUNTY_KINDS, CityPage, UnitPage
from communities.policy import Action

from .actions import AssessmentAction
from .models import Level


@dataclass(frozen=True)
class Region:
    """A city or county-level unit: its page id, code, name and tree path (what the policy checks)."""

    level: str
    pk: int
    code: str
    name: str
    path: str
    city_code: str  # a county's city; a city's own code
    kind: str = "city"  # the unit kind of a county
    retired: bool = False  # retired (or of a retired city): left every roll-up, its history still readable

    @property
    def policy_region(self) -> Region:
        return self  # the policy needs only `path`

    @property
    def key(self) -> tuple[str, str]:
        return self.level, self.code

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


EVERY = Q()
LIVE = Q(retired_at__isnull=True)


def _cities(condition: Q = EVERY) -> list[Region]:
    rows = CityPage.objects.filter(condition).order_by("code").values_list("pk", "code", "title", "path", "retired_at")
    return [Region(Level.CITY, pk, code, name, path, code, retired=retired is not None)
            for pk, code, name, path, retired in rows]


def _counties(condition: Q = EVERY) -> list[Region]:
    rows = (UnitPage.objects.filter(condition, kind__in=COUNTY_KINDS).order_by("code")
            .values_list("pk", "code", "title", "path", "city__code", "kind", "retired_at", "city__retired_at"))
    return [Region(Level.COUNTY, pk, code, name, path, city or "", kind, retired=bool(retired or city_retired))
            for pk, code, name, path, city, kind, retired, city_retired in rows]


def regions(level: str | None = None, condition: Q = EVERY, *, retired: bool = False) -> list[Region]:
    """Return the cities and/or county-level units (by code) matching `condition` on their pages; retired ones
    (or a county of a retired city) only when asked for: they have left the lists and the overview."""
    found = []
    if level in (None, Level.CITY):
        found += _cities(condition if retired else condition & LIVE)
    if level in (None, Level.COUNTY):
        found += _counties(condition if retired else condition & LIVE & Q(city__retired_at__isnull=True))
    return found


def region_by(level: str, code: str) -> Region | None:
    """Return the city (level city) or county-level unit (level county) with this code, or None; a retired one
    too, so that its assessment, snapshots and trail stay readable."""
    if level not in Level.values:
        return None
    return next(iter(regions(level, Q(code=code), retired=True)), None)


def region_of_page(page_id: int) -> Region | None:
    """Return the region whose page this is."""
    return next(iter(regions(None, Q(pk=page_id), retired=True)), None)


def regions_in_scope(user, action: Action = AssessmentAction.VIEW_ASSESSMENT, level: str | None = None) -> list[Region]:
    """Return the cities and counties under the regions where the user may take `action`."""
    return regions(level, policy.scope_q(user, action))
