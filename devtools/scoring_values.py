"""Values that earn a chosen tier of SD-ZHCS-2019 indicators, read off the YAML's own thresholds: synthetic
self-assessments for the demo (the scoring tests' boundary cases build on the same functions)."""

from __future__ import annotations

from typing import Any

import yaml

from standards.scoring import BUNDLED, parse_value, parse_when
from standards.scoring.engine import derived_args, input_spec
from standards.scoring.values import InputValueError, step

STANDARD: dict = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
# Offset from the threshold (in steps of the input kind) and whether the comparison then holds.
CASES = {
    ">=": {"below": (-1, False), "at": (0, True), "above": (1, True)},
    ">": {"below": (0, False), "at": (1, True), "above": (2, True)},
    "<=": {"below": (-1, True), "at": (0, True), "above": (1, False)},
    "<": {"below": (-2, True), "at": (-1, True), "above": (0, False)},
    "==": {"below": (-1, False), "at": (0, True), "above": (1, False)},
}


def indicator(level_key: str, number: int) -> dict:
    """Return one indicator of a level."""
    return next(ind for ind in STANDARD["levels"][level_key]["indicators"] if ind["number"] == number)


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


def satisfying_alternative(ind: dict, alternative: Any) -> dict[str, Any]:
    """Return exact values meeting every comparison of one alternative at its boundary."""
    values: dict[str, Any] = {}
    for comparison in alternative.comparisons:
        if comparison.key not in values:
            values.update(_parsed(ind, _raw(ind, comparison, CASES[comparison.op]["at"][0])) or {})
    return values


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
