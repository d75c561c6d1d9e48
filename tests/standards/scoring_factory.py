"""Inputs built from the scoring YAML's own thresholds: tier assignments and boundary cases."""

from __future__ import annotations

import copy
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from standards.scoring import BUNDLED, parse_value, parse_when, resolve_level
from standards.scoring.engine import derived_args, input_spec
from standards.scoring.values import InputValueError, step

STANDARD: dict = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
OP_NAMES = {">=": "ge", ">": "gt", "<=": "le", "<": "lt", "==": "eq"}
# Offset from the threshold (in steps of the input kind) and whether the comparison then holds.
CASES = {
    ">=": {"below": (-1, False), "at": (0, True), "above": (1, True)},
    ">": {"below": (0, False), "at": (1, True), "above": (2, True)},
    "<=": {"below": (-1, True), "at": (0, True), "above": (1, False)},
    "<": {"below": (-2, True), "at": (-1, True), "above": (0, False)},
    "==": {"below": (-1, False), "at": (0, True), "above": (1, False)},
}


def standard() -> dict:
    """Return a fresh deep copy of the bundled standard (safe to corrupt)."""
    return copy.deepcopy(STANDARD)


def level(key: str) -> dict:
    """Return a level's definition with bands and categories filled in."""
    return resolve_level(STANDARD, key)


def indicator(level_key: str, number: int) -> dict:
    """Return one indicator of a level."""
    return next(ind for ind in STANDARD["levels"][level_key]["indicators"] if ind["number"] == number)


def _keys(ind: dict, key: str) -> tuple[str, ...]:
    return derived_args(ind, key) or (key,)


def _raw(ind: dict, comparison: Any, offset: int) -> dict[str, Any] | None:
    """Return raw inputs putting one comparison's operand `offset` steps from its threshold, or None."""
    args = derived_args(ind, comparison.key)
    if args is not None:
        # All averaged inputs at the threshold and the first moved: the average moves by a third of a step.
        kind = input_spec(ind, args[0])["kind"]
        raw = {arg: str(comparison.value) for arg in args}
        raw[args[0]] = str(comparison.value + offset * step(kind))
        return raw
    spec = input_spec(ind, comparison.key)
    if spec["kind"] == "bool":
        value = comparison.value if offset == 0 else not comparison.value
        return {comparison.key: value} if offset in (0, -1) else None
    if spec["kind"] == "level":
        keys = [option["key"] for option in spec["options"]]
        position = keys.index(comparison.value) + offset
        return {comparison.key: keys[position]} if 0 <= position < len(keys) else None
    return {comparison.key: str(comparison.value + offset * step(spec["kind"]))}


def _parsed(ind: dict, raw: dict[str, Any]) -> dict[str, Any] | None:
    """Return exact values, or None when a raw value is outside its kind's domain."""
    try:
        return {key: parse_value(input_spec(ind, key), value) for key, value in raw.items()}
    except InputValueError:
        return None


def satisfying(ind: dict, tier: dict) -> dict[str, Any]:
    """Return exact values meeting the first alternative of the tier's `when`, each at its boundary."""
    return satisfying_alternative(ind, parse_when(tier["when"]).alternatives[0])


@dataclass(frozen=True)
class Boundary:
    """One generated case: values near one comparison of one tier, and whether the tier must hold."""

    id: str
    level: str
    indicator: dict
    tier: dict | None
    case: str
    values: dict[str, Any]
    holds: bool
    single_threshold: bool  # one input, only >=/> comparisons, no `or`: the tiers are nested thresholds


def _nested(ind: dict) -> bool:
    comparisons = [c for tier in ind["tiers"] for c in parse_when(tier["when"]).comparisons()]
    alternatives = [len(parse_when(tier["when"]).alternatives) for tier in ind["tiers"]]
    return len(ind["inputs"]) == 1 and all(c.op in (">=", ">") for c in comparisons) and set(alternatives) == {1}


# Only used to drop cases where a second comparison on the same input would fail too.
SAME_KEY = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}


def _tier_cases(level_key: str, ind: dict, tier: dict) -> Iterator[Boundary]:
    condition = parse_when(tier["when"])
    for alternative in condition.alternatives:
        others = {k for alt in condition.alternatives if alt is not alternative for c in alt.comparisons
                  for k in _keys(ind, c.key)}
        for comparison in alternative.comparisons:
            if others & set(_keys(ind, comparison.key)):
                continue  # another alternative reads the same input: its truth is not this comparison's
            base = satisfying_alternative(ind, alternative)
            threshold = str(comparison.value).lower()
            label = f"-{comparison.key}-{OP_NAMES[comparison.op]}-{threshold}"
            label = label if len(condition.comparisons()) > 1 else ""
            prefix = f"{level_key}-{ind['number']}-star{tier['star']}{label}"
            for case, (offset, holds) in CASES[comparison.op].items():
                raw = _raw(ind, comparison, offset)
                values = _parsed(ind, raw) if raw is not None else None
                same_key = [c for c in alternative.comparisons if c is not comparison and c.key == comparison.key]
                if values is None or not all(SAME_KEY[c.op](values[c.key], c.value) for c in same_key):
                    continue
                yield Boundary(f"{prefix}-{case}", level_key, ind, tier, case, {**base, **values}, holds, _nested(ind))
            unset = {k: v for k, v in base.items() if k != _keys(ind, comparison.key)[0]}
            yield Boundary(f"{prefix}-unset", level_key, ind, tier, "unset", unset, False, _nested(ind))


def satisfying_alternative(ind: dict, alternative: Any) -> dict[str, Any]:
    """Return exact values meeting every comparison of one alternative at its boundary."""
    values: dict[str, Any] = {}
    for comparison in alternative.comparisons:
        if comparison.key not in values:
            values.update(_parsed(ind, _raw(ind, comparison, CASES[comparison.op]["at"][0])) or {})
    return values


def _deduction_cases(level_key: str, ind: dict) -> Iterator[Boundary]:
    for incidents in (0, 1, 3):
        values = {ind["deduction"]["input"]: incidents}
        yield Boundary(f"{level_key}-{ind['number']}-deduction-{incidents}", level_key, ind, None,
                       str(incidents), values, True, False)


def boundary_cases() -> list[Boundary]:
    """Return every generated boundary case of every tier of every indicator of both levels."""
    cases: list[Boundary] = []
    for level_key, definition in STANDARD["levels"].items():
        for ind in definition["indicators"]:
            if ind.get("deduction"):
                cases += _deduction_cases(level_key, ind)
            for tier in ind["tiers"]:
                cases += _tier_cases(level_key, ind, tier)
    return cases


def values_for_total(level_key: str, total: int) -> dict[int, dict[str, Any]]:
    """Return values whose indicators' tier points add up to `total` (the deduction fills any rest)."""
    indicators = [ind for ind in STANDARD["levels"][level_key]["indicators"] if ind["tiers"]]
    reachable: dict[int, list[tuple[int, dict]]] = {0: []}
    for ind in indicators:
        grown = dict(reachable)
        for points, chosen in reachable.items():
            for tier in ind["tiers"]:
                grown.setdefault(points + tier["points"], [*chosen, (ind["number"], tier)])
        reachable = grown
    chosen = reachable[total]
    by_number = {number: satisfying(indicator(level_key, number), tier) for number, tier in chosen}
    return by_number


def at_top(level_key: str) -> dict[int, dict[str, Any]]:
    """Return values putting every tiered indicator of a level at its top tier, with no incidents."""
    values = {}
    for ind in STANDARD["levels"][level_key]["indicators"]:
        if ind.get("deduction"):
            values[ind["number"]] = {ind["deduction"]["input"]: 0}
        else:
            values[ind["number"]] = satisfying(ind, ind["tiers"][-1])
    return values

