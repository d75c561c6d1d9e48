"""Pure scoring engine for SD-ZHCS-2019, the province's city/county star-rating standard (no Django)."""

from pathlib import Path

from .engine import (
    Band,
    CategoryScore,
    IndicatorScore,
    LevelScore,
    condition_holds,
    held_tier,
    resolve_level,
    score_indicator,
    score_level,
)
from .grammar import Comparison, Condition, Conjunction, Derived, GrammarError, parse_derived, parse_when
from .planner import Move, Requirement, StarPlan, TierHint, cheapest_plan, next_star_plan, next_tier_hint
from .schema import ScoringStandardError, problems_of, validate
from .values import InputValueError, InputValuesError, Value, parse_inputs, parse_value, round_half_up

BUNDLED = Path(__file__).resolve().parents[1] / "bundled" / "SD-ZHCS-2019.yaml"

__all__ = [
    "BUNDLED",
    "Band",
    "CategoryScore",
    "Comparison",
    "Condition",
    "Conjunction",
    "Derived",
    "GrammarError",
    "IndicatorScore",
    "InputValueError",
    "InputValuesError",
    "LevelScore",
    "Move",
    "Requirement",
    "ScoringStandardError",
    "StarPlan",
    "TierHint",
    "Value",
    "cheapest_plan",
    "condition_holds",
    "held_tier",
    "next_star_plan",
    "next_tier_hint",
    "parse_derived",
    "parse_inputs",
    "parse_value",
    "parse_when",
    "problems_of",
    "resolve_level",
    "round_half_up",
    "score_indicator",
    "score_level",
    "validate",
]
