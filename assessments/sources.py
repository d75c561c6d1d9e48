"""Indicators computed from the communities' own answers (pure): read an indicator's `community_source` or
`source: community_rollup`, judge one community's approved answer, and sum them into an exact percentage.

The scoring standard's header: ratio_of_sums is sum(numerator) / sum(denominator) over the communities that
answered; share_of_communities is the communities meeting the condition over all in-scope communities; the
roll-up source (智慧社区覆盖率) is the smart communities over all in-scope communities. Only approved answers count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from standards.fields import clean_values

RATIO, SHARE, ROLLUP = "ratio_of_sums", "share_of_communities", "community_rollup"
_FIELD = re.compile(r"item (\d+) (\w+)")
_SHARE = re.compile(r"item (\d+) (?:(passes)|(\w+) == (true|false))")


class SourceError(ValueError):
    """A community_source the code cannot read (a standard newer than this code)."""


@dataclass(frozen=True)
class Source:
    """Where an indicator's value comes from: `kind` and the community item (and fields) it reads."""

    kind: str
    item: int | None = None
    numerator: str | None = None  # ratio_of_sums: the item's fields summed
    denominator: str | None = None
    field: str | None = None  # share_of_communities: the field compared, None for "the item passes"
    expected: bool | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f for f in (self.numerator, self.denominator, self.field) if f)


def _item_field(text: str) -> tuple[int, str]:
    match = _FIELD.fullmatch(str(text).strip())
    if not match:
        raise SourceError(f"无法识别的社区数据来源：{text}")
    return int(match.group(1)), match.group(2)


def source_of(indicator: Mapping[str, Any]) -> Source | None:
    """Return where the indicator's value is computed from the communities, or None when it is entered."""
    if indicator.get("source") == ROLLUP:
        return Source(ROLLUP)
    spec = indicator.get("community_source")
    if not spec:
        return None
    if RATIO in spec:
        (item, numerator), (other, denominator) = (_item_field(spec[RATIO][k]) for k in ("numerator", "denominator"))
        if item != other:
            raise SourceError(f"分子与分母来自不同的社区指标：{spec[RATIO]}")
        return Source(RATIO, item, numerator=numerator, denominator=denominator)
    match = _SHARE.fullmatch(str(spec.get(SHARE, "")).strip())
    if not match:
        raise SourceError(f"无法识别的社区数据来源：{spec}")
    item, passes, field, value = match.groups()
    if passes:
        return Source(SHARE, int(item))
    return Source(SHARE, int(item), field=field, expected=value == "true")


@dataclass(frozen=True)
class Contribution:
    """What one in-scope community adds: counted (answered), meets the condition, its two counts."""

    counted: bool = False
    meets: bool = False
    numerator: int | None = None
    denominator: int | None = None


NOT_ANSWERED = Contribution()


def contribution(source: Source, item: Mapping[str, Any] | None, *, approved: bool, rules_pass: bool,
                 values: Mapping[str, Any]) -> Contribution:
    """Judge one community's answer to the source's item (`item` is the community standard's definition)."""
    if not approved or item is None:
        return NOT_ANSWERED
    if source.kind == SHARE and source.field is None:
        return Contribution(counted=True, meets=rules_pass)
    cleaned, _ = clean_values(dict(item), dict(values))
    if source.kind == RATIO:
        numerator, denominator = cleaned.get(source.numerator), cleaned.get(source.denominator)
        if not isinstance(numerator, int) or not isinstance(denominator, int):
            return NOT_ANSWERED
        return Contribution(counted=True, meets=False, numerator=numerator, denominator=denominator)
    value = cleaned.get(source.field)
    return Contribution(counted=value is not None, meets=value is source.expected)


@dataclass(frozen=True)
class Derived:
    """A computed value: the exact percentage (None when there is nothing to divide by) and its basis."""

    percent: Fraction | None
    basis: dict[str, int]
    problem: str = ""  # why nothing could be computed, in Chinese
    # The region's registered communities that are not counted (communities.counting.Tally.as_dict: villages,
    # rural, retired), shown beside the basis so nobody is surprised by the denominator; never in the JSON.
    others: Mapping[str, int] = field(default_factory=dict)


def ratio(contributions: Iterable[Contribution], communities: int) -> Derived:
    """Return sum(numerator) / sum(denominator) over the communities that answered, as a percentage."""
    answered = [c for c in contributions if c.counted]
    numerator = sum(c.numerator for c in answered)
    denominator = sum(c.denominator for c in answered)
    basis = {"communities": communities, "answered": len(answered), "numerator": numerator,
             "denominator": denominator}
    if not denominator:
        return Derived(None, basis, _("没有可汇总的社区数据（已审核通过且填写了分母的社区为0个）"))
    return Derived(Fraction(100 * numerator, denominator), basis)


def share(meeting: int, communities: int, answered: int | None = None) -> Derived:
    """Return the communities meeting a condition over all in-scope communities, as a percentage."""
    basis = {"communities": communities, "meeting": meeting}
    if answered is not None:
        basis["answered"] = answered
    if not communities:
        return Derived(None, basis, _("范围内没有纳入统计的社区（只统计街道和类似乡级单位下辖的居委会、类似居委会）"))
    return Derived(Fraction(100 * meeting, communities), basis)


def derive(source: Source, contributions: Iterable[Contribution], communities: int) -> Derived:
    """Sum the contributions of a ratio or share source over a region with `communities` in-scope communities."""
    contributions = list(contributions)
    if source.kind == RATIO:
        return ratio(contributions, communities)
    return share(sum(c.meets for c in contributions), communities, sum(c.counted for c in contributions))
