"""Inputs built from the scoring YAML's own thresholds: tier assignments and boundary cases."""

from __future__ import annotations

import copy
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from devtools.scoring_values import (  # noqa: F401 - the scoring tests take these from here
    CASES,
    STANDARD,
    _parsed,
    _raw,
    at_top,
    indicator,
    satisfying,
    satisfying_alternative,
    values_for_total,
)
from standards.scoring import parse_when, resolve_level
from standards.scoring.engine import derived_args

OP_NAMES = {">=": "ge", ">": "gt", "<=": "le", "<": "lt", "==": "eq"}


def standard() -> dict:
    """Return a fresh deep copy of the bundled standard (safe to corrupt)."""
    return copy.deepcopy(STANDARD)


def level(key: str) -> dict:
    """Return a level's definition with bands and categories filled in."""
    return resolve_level(STANDARD, key)


def _keys(ind: dict, key: str) -> tuple[str, ...]:
    return derived_args(ind, key) or (key,)


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


