"""Each city decides its main urban area (主城区): which of its 市辖区 and 类似县级单位 count toward the city
(附件1) and which are 距离主城区较远、独立性较强的建制区, assessed as counties (附件2).

The division table gives a county-level unit's kind by its code (`division_kind`); a 县 or 县级市 is never the
city's choice. A 市辖区 or 类似县级单位 comes in as a main urban district *to be confirmed* (`kind_confirmed`
False) until its city's bureau confirms or changes it here. A unit of an old-format register (no division kind)
that the register calls a district (主城区 or 独立性较强的建制区) is the city's choice too, already confirmed.
Coverage and assessments read `UnitPage.kind` live, so a change moves the district between the city's figures
and the county figures at once.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actors import log

from . import policy
from .actions import CommunityAction
from .models import CityPage, DivisionKind, UnitKind, UnitPage

CHOICES = (UnitKind.MAIN_URBAN_DISTRICT, UnitKind.INDEPENDENT_DISTRICT)
CITY_DECIDES = (DivisionKind.DISTRICT, DivisionKind.COUNTY_LIKE)
CHOICE_LABELS = {UnitKind.MAIN_URBAN_DISTRICT: gettext_lazy("主城区（计入设区市）"),
                 UnitKind.INDEPENDENT_DISTRICT: gettext_lazy("独立性较强的建制区（单独评价）")}

CONFIRMED = "communities.main_urban_confirmed"  # on the city: the whole decision
KIND_SET = "communities.district_kind_set"  # on each district whose kind or confirmation changed
LOG_ACTIONS = {CONFIRMED: gettext_lazy("确认主城区"), KIND_SET: gettext_lazy("设定区县评价类型")}


def city_decides(division_kind: str, kind: str) -> bool:
    """Whether a unit's kind is its city's choice: a 市辖区 or 类似县级单位 (old registers: a district kind)."""
    if division_kind:
        return division_kind in CITY_DECIDES
    return kind in CHOICES


@dataclass(frozen=True)
class District:
    """One county-level unit of a city as the screen shows it."""

    pk: int
    code: str
    name: str
    division_kind: str
    kind: str
    confirmed: bool

    @property
    def city_decides(self) -> bool:
        return city_decides(self.division_kind, self.kind)

    @property
    def division_label(self) -> str:
        return DivisionKind(self.division_kind).label if self.division_kind else _("（旧格式名册，无区划类型）")

    @property
    def kind_label(self) -> str:
        return UnitKind(self.kind).label

    @property
    def assumed_main_urban(self) -> bool:
        return not self.confirmed and self.kind == UnitKind.MAIN_URBAN_DISTRICT


_FIELDS = ("pk", "code", "title", "division_kind", "kind", "kind_confirmed")


def _district(row: tuple) -> District:
    return District(*row)


def districts_of(city: CityPage) -> list[District]:
    """Return the city's county-level units that are not retired, by code."""
    rows = UnitPage.objects.filter(city=city, retired_at__isnull=True).order_by("code").values_list(*_FIELDS)
    return [_district(row) for row in rows]


@dataclass(frozen=True)
class Unconfirmed:
    """A city whose main urban area is not confirmed yet, with the districts still waiting (and what is assumed)."""

    code: str
    name: str
    districts: tuple[District, ...]

    @property
    def assumed_main_urban(self) -> list[District]:
        return [d for d in self.districts if d.kind == UnitKind.MAIN_URBAN_DISTRICT]

    @property
    def assumed_independent(self) -> list[District]:
        return [d for d in self.districts if d.kind != UnitKind.MAIN_URBAN_DISTRICT]


def unconfirmed(city_codes: Iterable[str] | None = None) -> list[Unconfirmed]:
    """Return the cities (of these codes, or all) whose districts are not all confirmed, by code (one query)."""
    units = UnitPage.objects.filter(kind_confirmed=False, retired_at__isnull=True, city__retired_at__isnull=True)
    if city_codes is not None:
        units = units.filter(city__code__in=list(city_codes))
    waiting: dict[tuple[str, str], list[District]] = defaultdict(list)
    for *row, city_code, city_name in units.order_by("code").values_list(*_FIELDS, "city__code", "city__title"):
        district = _district(tuple(row))
        if district.city_decides:
            waiting[(city_code, city_name)].append(district)
    return [Unconfirmed(code, name, tuple(found)) for (code, name), found in sorted(waiting.items())]


def state_of(districts: Iterable[District]) -> str:
    """Return a digest of the districts' kinds as shown, so a form rendered before someone else's change is
    refused rather than silently undoing it."""
    text = ";".join(f"{d.code}:{d.kind}:{int(d.confirmed)}" for d in districts)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


STALE = "state"  # MainUrbanError key: the form was drawn before someone else's change


class MainUrbanError(ValueError):
    """The submitted kinds cannot be applied; `errors` maps a district code, STALE or "__all__" to why (Chinese)."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(errors.values()))


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    from_kind: str
    from_confirmed: bool
    to_kind: str

    def as_data(self) -> dict:
        return {"code": self.code, "name": self.name,
                "from": {"kind": self.from_kind, "confirmed": self.from_confirmed},
                "to": {"kind": self.to_kind, "confirmed": True}}


def _problems(districts: list[District], kinds: Mapping[str, str], state: str | None) -> dict[str, str]:
    if state is not None and state != state_of(districts):
        return {STALE: _("提交前各区类型已被他人修改，请查看当前情况后重新提交")}
    choosable = {d.code for d in districts if d.city_decides}
    problems = {code: _("%(code)s 不是本市可确定类型的区（县、县级市的类型由区划决定）") % {"code": code}
                for code in kinds if code not in choosable}
    for district in districts:
        if district.city_decides and kinds.get(district.code) not in CHOICES:
            problems[district.code] = _("请为%(name)s选择“主城区”或“独立性较强的建制区”") % {"name": district.name}
    return problems


@transaction.atomic
def main_urban_confirm(*, city: CityPage, kinds: Mapping[str, str], actor, state: str | None = None) -> list[Change]:
    """Confirm or change the kind of every district of `city` the city decides (code -> 主城区 or 独立性较强的建制区).

    Every such district must be given; each one whose kind or confirmation changes is logged on the district and
    the whole decision on the city (who, when, from what to what). Return the changes (none: nothing logged).
    """
    policy.require(actor, CommunityAction.CONFIRM_MAIN_URBAN, city)
    city = CityPage.objects.select_for_update().get(pk=city.pk)
    if city.retired_at is not None:
        raise MainUrbanError({"__all__": _("%(name)s已撤销，不再确认主城区") % {"name": city.title}})
    units = {u.pk: u for u in UnitPage.objects.filter(city=city, retired_at__isnull=True).order_by("code")}
    districts = [District(u.pk, u.code, u.title, u.division_kind, u.kind, u.kind_confirmed) for u in units.values()]
    if problems := _problems(districts, kinds, state):
        raise MainUrbanError(problems)
    changes = []
    for district in districts:
        if not district.city_decides or (district.confirmed and kinds[district.code] == district.kind):
            continue
        change = Change(district.code, district.name, district.kind, district.confirmed, kinds[district.code])
        unit = units[district.pk]
        unit.kind, unit.kind_confirmed = change.to_kind, True
        UnitPage.objects.filter(pk=unit.pk).update(kind=unit.kind, kind_confirmed=True)
        log(unit, KIND_SET, actor=actor, data={"city": city.code, **change.as_data()})
        changes.append(change)
    if changes:
        log(city, CONFIRMED, actor=actor, data={"changes": [c.as_data() for c in changes]})
    return changes
