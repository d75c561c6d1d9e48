"""Score indicators and levels exactly: highest tier that holds, deductions, totals and bands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .grammar import Comparison, Condition, parse_derived, parse_when
from .values import Value

Values = Mapping[str, Value | None]


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator's result: points (negative for a deduction), the held tier's star, missing."""

    number: int
    key: str
    category: str
    points: int
    star: int | None
    missing: bool
    max_points: int
    deduction: bool = False


@dataclass(frozen=True)
class Band:
    """A total-score band: totals from `min` to `max` (inclusive) earn `star`."""

    star: int
    min: int
    max: int


@dataclass(frozen=True)
class CategoryScore:
    """Points earned and points available in one 一级指标."""

    key: str
    label: str
    points: int
    max_points: int


@dataclass(frozen=True)
class LevelScore:
    """A whole level's result: per-indicator scores, total, per-category totals and the band star."""

    level: str
    indicators: tuple[IndicatorScore, ...]
    total: int
    max_points: int
    categories: tuple[CategoryScore, ...]
    star: int | None
    band: Band | None
    bands: tuple[Band, ...]

    def indicator(self, number: int) -> IndicatorScore:
        """Return the score of indicator `number`."""
        for score in self.indicators:
            if score.number == number:
                return score
        raise KeyError(number)

    @property
    def missing(self) -> tuple[int, ...]:
        """Return the numbers of the indicators with no input set."""
        return tuple(score.number for score in self.indicators if score.missing)


def resolve_level(data: Mapping[str, Any], level: str) -> dict[str, Any]:
    """Return the level's definition with the standard's bands, categories and max_points filled in."""
    definition = dict(data["levels"][level])
    definition["key"] = level
    for shared in ("bands", "categories", "max_points"):
        definition.setdefault(shared, data[shared])
    return definition


def _exact(value: Any, key: str) -> Fraction:
    """Return a number as a Fraction; refuse floats and bools, which must never be compared."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        raise TypeError(f"{key}: expected int, Decimal or Fraction, got {value!r}")
    return Fraction(value)


def _compare(left: Any, op: str, right: Any) -> bool:
    if op == ">=":
        return left >= right
    if op == ">":
        return left > right
    if op == "<=":
        return left <= right
    if op == "<":
        return left < right
    if op == "==":
        return left == right
    raise ValueError(f"unknown operator {op}")


def input_spec(indicator: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    """Return the input named `key`, or None."""
    return next((spec for spec in indicator["inputs"] if spec["key"] == key), None)


def derived_args(indicator: Mapping[str, Any], key: str) -> tuple[str, ...] | None:
    """Return the inputs averaged by the derived value `key`, or None when `key` is not derived."""
    text = (indicator.get("derived") or {}).get(key)
    return None if text is None else parse_derived(text).args


def average(indicator: Mapping[str, Any], key: str, values: Values) -> Fraction | None:
    """Return the exact value of a derived average, or None when one of its inputs is unset."""
    args = derived_args(indicator, key) or ()
    if not args or any(values.get(arg) is None for arg in args):
        return None
    return sum((_exact(values[arg], arg) for arg in args), Fraction(0)) / len(args)


def option_position(spec: Mapping[str, Any], option: Any) -> int:
    """Return an option's position in a level input's options (lowest first)."""
    keys = [item["key"] for item in spec["options"]]
    if option not in keys:
        raise ValueError(f"{spec['key']}: {option!r} is not one of {keys}")
    return keys.index(option)


def comparison_holds(indicator: Mapping[str, Any], comparison: Comparison, values: Values) -> bool:
    """Evaluate one comparison exactly; a comparison on an unset input is false."""
    args = derived_args(indicator, comparison.key)
    if args is not None:
        if any(values.get(arg) is None for arg in args):
            return False
        # Compare the sum with n times the threshold, so no division happens.
        total = sum((_exact(values[arg], arg) for arg in args), Fraction(0))
        return _compare(total, comparison.op, len(args) * _exact(comparison.value, comparison.key))
    spec = input_spec(indicator, comparison.key)
    if spec is None:
        raise KeyError(f"{indicator.get('number')}: unknown input {comparison.key}")
    value = values.get(comparison.key)
    if value is None:
        return False
    if spec["kind"] == "bool":
        if not isinstance(value, bool) or comparison.op != "==":
            raise TypeError(f"{comparison.key}: a bool is compared with == to a bool, got {value!r}")
        return value == comparison.value
    if spec["kind"] == "level":
        return _compare(option_position(spec, value), comparison.op, option_position(spec, comparison.value))
    return _compare(_exact(value, comparison.key), comparison.op, _exact(comparison.value, comparison.key))


def condition_holds(indicator: Mapping[str, Any], when: str | Condition, values: Values) -> bool:
    """Evaluate a `when` (text or parsed) for one indicator's values."""
    condition = parse_when(when) if isinstance(when, str) else when
    return any(
        all(comparison_holds(indicator, comparison, values) for comparison in alternative.comparisons)
        for alternative in condition.alternatives
    )


def held_tier(indicator: Mapping[str, Any], values: Values) -> Mapping[str, Any] | None:
    """Return the highest-points tier whose `when` holds, or None."""
    holding = [tier for tier in indicator.get("tiers") or [] if condition_holds(indicator, tier["when"], values)]
    return max(holding, key=lambda tier: tier["points"], default=None)


def max_points(indicator: Mapping[str, Any]) -> int:
    """Return the most points the indicator can earn (0 for the deduction indicator)."""
    return max((tier["points"] for tier in indicator.get("tiers") or []), default=0)


def score_indicator(indicator: Mapping[str, Any], values: Values) -> IndicatorScore:
    """Score one indicator from exact values keyed by its input keys (missing keys are unset)."""
    missing = all(values.get(spec["key"]) is None for spec in indicator["inputs"])
    deduction = indicator.get("deduction")
    points, star = 0, None
    if deduction:
        incidents = values.get(deduction["input"])
        if incidents is not None:
            points = int(deduction["points"]) * int(_exact(incidents, deduction["input"]))
    else:
        tier = held_tier(indicator, values)
        if tier is not None:
            points, star = int(tier["points"]), int(tier["star"])
    return IndicatorScore(
        number=indicator["number"],
        key=indicator["key"],
        category=indicator["category"],
        points=points,
        star=star,
        missing=missing,
        max_points=max_points(indicator),
        deduction=bool(deduction),
    )


def bands_of(level_def: Mapping[str, Any]) -> tuple[Band, ...]:
    """Return the level's bands, lowest first."""
    bands = (Band(int(b["star"]), int(b["min"]), int(b["max"])) for b in level_def["bands"])
    return tuple(sorted(bands, key=lambda band: band.min))


def band_for(bands: tuple[Band, ...], total: int) -> Band | None:
    """Return the band holding `total` (the top band above its max), or None below the lowest band."""
    reached = [band for band in bands if band.min <= total]
    return reached[-1] if reached else None


def score_level(level_def: Mapping[str, Any], values_by_number: Mapping[int, Values], *,
                scored: Mapping[int, IndicatorScore] | None = None) -> LevelScore:
    """Score every indicator of a level (see resolve_level) and map the total to a band star.

    `scored`: indicators the caller has already scored with score_indicator on these same values (not again).
    """
    unknown = set(values_by_number) - {ind["number"] for ind in level_def["indicators"]}
    if unknown:
        raise ValueError(f"no such indicators in level {level_def.get('key')}: {sorted(unknown)}")
    scored = scored or {}
    scores = tuple(scored.get(ind["number"]) or score_indicator(ind, values_by_number.get(ind["number"], {}))
                   for ind in level_def["indicators"])
    categories = tuple(
        CategoryScore(
            key=category["key"],
            label=category["label"],
            points=sum(s.points for s in scores if s.category == category["key"]),
            max_points=sum(s.max_points for s in scores if s.category == category["key"]),
        )
        for category in level_def["categories"]
    )
    total = sum(score.points for score in scores)
    bands = bands_of(level_def)
    band = band_for(bands, total)
    return LevelScore(
        level=level_def.get("key", ""),
        indicators=scores,
        total=total,
        max_points=int(level_def["max_points"]),
        categories=categories,
        star=band.star if band else None,
        band=band,
        bands=bands,
    )
