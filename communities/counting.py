"""Which communities count: the one definition behind 智慧社区覆盖率 and every community-derived indicator.

A registered community counts when it is a 社区 (居委会 or 类似居委会) under a 街道 or 类似乡级单位 (the seed's
数据统计范围不含乡镇 leaves out only 镇 and 乡), and neither it nor its street, unit or city is retired. 村委会 are
registered and may fill the checklist, but are not counted. A community of an old-format register has no
code-derived kind and counts as 居委会, so those registers give the figures they always gave.

The same rule in three forms: `standing` for Python rows (the roll-up's loop, the synthetic province), `counted_q`
for SQL (the assessments' answers, drill-downs), and `tallies_by_unit` for counts of each standing by unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from enum import StrEnum

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import COUNTED_COMMUNITY_KINDS, COUNTED_STREET_KINDS, CommunityKind, CommunityPage


class Standing(StrEnum):
    """Where a registered community stands for coverage."""

    COUNTED = "counted"
    VILLAGE = "village"  # 村委会 or 类似村委会: registered, not counted
    RURAL = "rural"  # a 社区 under 镇 or 乡: 数据统计范围不含乡镇
    RETIRED = "retired"  # it, or its street, unit or city, is retired


STANDING_LABELS = {
    Standing.COUNTED: _("纳入统计"),
    Standing.VILLAGE: _("村委会，不计入"),
    Standing.RURAL: _("乡镇，不计入"),
    Standing.RETIRED: _("已撤销，不计入"),
}

# The coverage JSON's `kind` of a community (interfaces.md): fixed machine words, never translated.
KIND_NAMES = {
    CommunityKind.RESIDENTS: "居委会",
    CommunityKind.VILLAGERS: "村委会",
    CommunityKind.RESIDENTS_LIKE: "类似居委会",
    CommunityKind.VILLAGERS_LIKE: "类似村委会",
}
KIND_BY_NAME = {name: kind for kind, name in KIND_NAMES.items()}


def kind_name(kind: str | None) -> str:
    """Return a community kind as the coverage JSON names it; an old-format register's community is a 居委会."""
    return KIND_NAMES.get(kind or CommunityKind.RESIDENTS, KIND_NAMES[CommunityKind.RESIDENTS])


def standing(*, kind: str | None, street_kind: str | None, retired: bool = False) -> Standing:
    """Return where a community stands, from its kind, its street's kind and whether it (or an ancestor) is retired."""
    if retired:
        return Standing.RETIRED
    if (kind or CommunityKind.RESIDENTS) not in COUNTED_COMMUNITY_KINDS:
        return Standing.VILLAGE
    if street_kind not in COUNTED_STREET_KINDS:
        return Standing.RURAL
    return Standing.COUNTED


def counts(*, kind: str | None, street_kind: str | None, retired: bool = False) -> bool:
    """Whether a community counts for coverage (see the module's docstring)."""
    return standing(kind=kind, street_kind=street_kind, retired=retired) is Standing.COUNTED


def _ancestors(prefix: str) -> tuple[str, ...]:
    return (f"{prefix}retired_at", f"{prefix}street__retired_at", f"{prefix}unit__retired_at",
            f"{prefix}city__retired_at")


def live_q(prefix: str = "") -> Q:
    """Return "neither the community nor its street, unit or city is retired" on CommunityPage (`prefix`: the
    lookup from another model, e.g. "community__" on ItemResult)."""
    return Q(**{f"{name}__isnull": True for name in _ancestors(prefix)})


def retired_q(prefix: str = "") -> Q:
    """Return "the community or one of its ancestors is retired" (the opposite of live_q)."""
    condition = Q()
    for name in _ancestors(prefix):
        condition |= Q(**{f"{name}__isnull": False})
    return condition


def counted_q(prefix: str = "") -> Q:
    """Return "the community counts for coverage" as a query condition: the SQL form of `counts`."""
    return live_q(prefix) & Q(**{f"{prefix}kind__in": list(COUNTED_COMMUNITY_KINDS),
                                 f"{prefix}street__kind__in": list(COUNTED_STREET_KINDS)})


TALLY_FIELDS = {Standing.COUNTED: "counted", Standing.VILLAGE: "villages", Standing.RURAL: "rural",
                Standing.RETIRED: "retired"}


@dataclass
class Tally:
    """How many registered communities stand where: counted, and not counted (villages, under 镇/乡, retired)."""

    counted: int = 0
    villages: int = 0
    rural: int = 0
    retired: int = 0

    def add(self, where: Standing, n: int = 1) -> None:
        field = TALLY_FIELDS[where]  # called once per community by the roll-up's hot loop: no dict built per call
        setattr(self, field, getattr(self, field) + n)

    def __add__(self, other: Tally) -> Tally:
        return Tally(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def not_counted(self) -> int:
        """Registered communities that are not counted (retired ones are no longer registered as such)."""
        return self.villages + self.rural

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def describe(self) -> str:
        """Return what is registered but not counted, and what was retired, in words ("" when nothing)."""
        parts = [gettext("村委会%(n)d个") % {"n": self.villages} if self.villages else "",
                 gettext("乡镇下辖社区%(n)d个") % {"n": self.rural} if self.rural else ""]
        text = "、".join(part for part in parts if part)
        text = gettext("%(parts)s已登记，不计入") % {"parts": text} if text else ""
        if self.retired:
            text += ("；" if text else "") + gettext("已撤销%(n)d个，不再计入") % {"n": self.retired}
        return text

    @classmethod
    def of(cls, data: dict | None) -> Tally:
        """Return the tally stored by `as_dict` (an empty one for data from before tallies were kept)."""
        return cls(**{f.name: int((data or {}).get(f.name, 0)) for f in fields(cls)})


def tallies_by_unit(unit_ids: Iterable[int]) -> dict[int, Tally]:
    """Return each unit's communities by standing (one grouped query)."""
    retired = ExpressionWrapper(retired_q(), output_field=BooleanField())
    rows = (CommunityPage.objects.filter(unit_id__in=list(unit_ids)).annotate(is_retired=retired)
            .order_by().values("unit_id", "kind", "street__kind", "is_retired").annotate(n=Count("*")))
    found: dict[int, Tally] = {}
    for row in rows:
        where = standing(kind=row["kind"], street_kind=row["street__kind"], retired=bool(row["is_retired"]))
        found.setdefault(row["unit_id"], Tally()).add(where, row["n"])
    return found
