"""Next-tier hints and the fewest-moves plan to the next star, checked by hand and by brute force."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from standards.scoring import Move, cheapest_plan, next_star_plan, next_tier_hint, score_level
from tests.standards.scoring_factory import STANDARD, at_top, indicator, level, values_for_total

D = Decimal


def synthetic(tiers_by_number: dict[int, list[int]]) -> dict:
    """Return a level whose indicator n has one percent input and a tier `percent >= 10*k` per points."""
    indicators = [
        {
            "number": number,
            "key": f"i{number}",
            "category": "local",
            "inputs": [{"key": "percent", "kind": "percent", "label": "率"}],
            "tiers": [
                {"star": k + 1, "when": f"percent >= {10 * (k + 1)}", "points": p} for k, p in enumerate(points)
            ],
        }
        for number, points in tiers_by_number.items()
    ]
    return {"key": "t", "indicators": indicators, "bands": STANDARD["bands"], "categories": STANDARD["categories"],
            "max_points": 500}


def plan_of(definition: dict, tiers_held: dict[int, int]) -> list[tuple[int, int, int]]:
    """Score with indicator n holding its `tiers_held[n]`-th tier (1-based, 0 = none) and plan."""
    values = {n: {"percent": D(10 * k)} for n, k in tiers_held.items() if k}
    result = next_star_plan(definition, score_level(definition, values))
    return [(m.indicator, m.from_points, m.to_points) for m in result.plan]


def test_fiber_hint_90_to_100_gains_two_points() -> None:
    hint = next_tier_hint(indicator("city", 1), {"percent": D(90)})
    assert (hint.number, hint.from_points, hint.from_star) == (1, 8, 4)
    assert (hint.to_points, hint.to_star, hint.gain) == (10, 5, 2)
    (requirement,) = hint.requirements
    assert (requirement.key, requirement.label, requirement.current, requirement.op, requirement.threshold) == (
        "percent", "家庭光纤宽带入户率", D(90), ">=", D(100),
    )


def test_hint_with_nothing_entered_names_the_first_tier() -> None:
    hint = next_tier_hint(indicator("city", 1), {})
    assert (hint.from_points, hint.from_star, hint.to_points, hint.gain) == (0, None, 2, 2)
    assert hint.requirements[0].current is None and hint.requirements[0].threshold == D(50)


def test_hint_lists_only_the_comparisons_that_fail() -> None:
    hint = next_tier_hint(indicator("city", 6), {"contribution_percent": D(45), "departments": 3})
    assert (hint.from_points, hint.to_points) == (6, 8)
    assert [(r.key, r.op, r.threshold) for r in hint.requirements] == [("contribution_percent", ">=", D(50))]
    hint = next_tier_hint(indicator("city", 17), {})
    assert [(r.key, r.op, r.threshold) for r in hint.requirements] == [("rank", ">=", D(13)), ("rank", "<=", D(16))]


def test_hint_for_a_level_names_the_option() -> None:
    hint = next_tier_hint(indicator("city", 40), {"level": "principal_leader"})
    (requirement,) = hint.requirements
    assert (hint.from_points, hint.to_points) == (4, 6)
    assert (requirement.current, requirement.threshold) == ("principal_leader", "bureau_and_operator")
    assert requirement.current_label == "成立智慧城市建设工作领导小组并由政府主要领导担任领导小组领导"
    assert requirement.threshold_label.endswith("由专业的智慧城市运营公司统一运营")
    unset = next_tier_hint(indicator("city", 29), {}).requirements[0]
    assert (unset.threshold, unset.current) == ("platforms_running", None)
    assert unset.threshold_label == "政务版本和公众版本时空信息平台运行良好"


def test_hint_for_an_average_says_what_it_must_reach() -> None:
    values = {"wireless_percent": D(70), "multimedia_percent": D(75), "remote_education_percent": D("72.5")}
    hint = next_tier_hint(indicator("city", 15), values)
    (requirement,) = hint.requirements
    assert (hint.from_points, hint.to_points) == (6, 8)
    assert (requirement.key, requirement.op, requirement.threshold) == ("average", ">=", D(80))
    assert requirement.current == Fraction("72.5")
    assert requirement.args == ("wireless_percent", "multimedia_percent", "remote_education_percent")
    assert requirement.label == "无线学校覆盖率、多媒体教室占比、远程教育覆盖率的平均值"


def test_hint_for_or_picks_the_alternative_with_fewest_changes() -> None:
    two_or_one = {
        "number": 1,
        "inputs": [{"key": k, "kind": "count", "label": k} for k in ("a", "b", "c")],
        "tiers": [{"star": 5, "when": "a >= 1 and b >= 1 or c >= 1", "points": 5}],
    }
    assert [r.key for r in next_tier_hint(two_or_one, {}).requirements] == ["c"]
    assert [r.key for r in next_tier_hint(two_or_one, {"a": 1}).requirements] == ["b"]
    publicity = indicator("city", 47)
    hint = next_tier_hint(publicity, {"activities": 2, "national_provincial_activities": 2, "hall_exhibits": 0})
    assert (hint.from_points, hint.to_points) == (4, 6)
    assert [(r.key, r.threshold) for r in hint.requirements] == [("national_provincial_activities", D(3))]  # tie: first


def test_no_hint_at_the_top_or_for_the_deduction() -> None:
    assert next_tier_hint(indicator("city", 1), {"percent": D(100)}) is None
    assert next_tier_hint(indicator("city", 45), {"incidents": 1}) is None


def test_greedy_by_largest_gain_overshoots_more_than_the_optimum() -> None:
    # 20 held, 30 short of 50: greedy takes 20 + 15 = 35 (5 over); two moves 20 + 10 reach 50 exactly.
    definition = synthetic({1: [20], 2: [15], 3: [12], 4: [10], 5: [20]})
    assert plan_of(definition, {5: 1}) == [(1, 0, 20), (4, 0, 10)]


def test_a_move_may_stop_below_the_top_tier() -> None:
    definition = synthetic({1: [4, 8, 12, 16], 2: [20], 3: [42]})
    # 42 held, 8 short of 50: indicator 1 to its second tier is exact; indicator 2 would overshoot by 12.
    assert plan_of(definition, {3: 1}) == [(1, 0, 8)]


def test_fewest_indicators_beat_less_overshoot() -> None:
    definition = synthetic({1: [5], 2: [5], 3: [11], 4: [40]})
    assert plan_of(definition, {4: 1}) == [(3, 0, 11)]  # one move, 1 over, rather than two exact moves


def test_ties_go_to_the_lowest_numbered_indicators() -> None:
    definition = synthetic({1: [10], 2: [10], 3: [40]})
    assert plan_of(definition, {3: 1}) == [(1, 0, 10)]
    definition = synthetic({1: [4, 8], 2: [4, 8], 3: [38]})
    assert plan_of(definition, {3: 1}) == [(1, 0, 4), (2, 0, 8)]
    # 20 short: 2 + 3 and 1 + 4 are both exact; the plan found first (2 + 3) is not the one kept.
    definition = synthetic({1: [12], 2: [10], 3: [10], 4: [8], 5: [30]})
    assert plan_of(definition, {5: 1}) == [(1, 0, 12), (4, 0, 8)]


def test_moves_start_from_the_tier_held() -> None:
    definition = synthetic({1: [10, 20, 30], 2: [30]})
    assert plan_of(definition, {1: 1, 2: 1}) == [(1, 10, 20)]  # 40 held: 10 more from tier 1 to tier 2


def test_five_stars_has_no_next_star() -> None:
    result = score_level(level("city"), at_top("city"))
    assert next_star_plan(level("city"), result) is None


def test_below_fifty_aims_at_one_star() -> None:
    plan = next_star_plan(level("city"), score_level(level("city"), {}))
    assert (plan.star, plan.points_needed) == (1, 50)
    assert plan.plan == (Move(indicator=48, from_points=0, to_points=50, to_star=5),)  # the one 50-point tier


def test_points_needed_and_json_shape() -> None:
    result = score_level(level("city"), values_for_total("city", 352))
    plan = next_star_plan(level("city"), result)
    assert (result.star, plan.star, plan.points_needed) == (4, 5, 98)
    shape = plan.as_dict()
    assert set(shape) == {"star", "points_needed", "plan"}
    assert all(set(move) == {"indicator", "from_points", "to_points"} for move in shape["plan"])
    gained = sum(m["to_points"] - m["from_points"] for m in shape["plan"])
    assert gained >= 98
    assert all(m["indicator"] != 45 for m in shape["plan"])


def test_the_deduction_is_never_a_move_and_unreachable_is_none() -> None:
    values = at_top("county")
    values[48] = {"incidents": 20}
    result = score_level(level("county"), values)
    assert (result.total, result.star) == (400, 4)
    plan = next_star_plan(level("county"), result)
    assert (plan.star, plan.points_needed, plan.plan) == (5, 50, None)
    assert plan.as_dict() == {"star": 5, "points_needed": 50, "plan": None}


def brute_force(choices: list[tuple[int, int, list[tuple[int, int]]]], needed: int) -> tuple[int, int] | None:
    """Return (indicators changed, overshoot) of the best plan by trying every combination."""
    options = [[None, *higher] for _, _, higher in choices]
    best = None
    for combination in itertools.product(*options):
        gain = sum(tier[0] - current for (_, current, _), tier in zip(choices, combination, strict=True) if tier)
        if gain >= needed:
            key = (sum(1 for tier in combination if tier), gain - needed)
            best = key if best is None or key < best else best
    return best


@pytest.mark.parametrize("seed", range(40))
def test_cheapest_plan_matches_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    choices = []
    for number in range(1, rng.randint(2, 7) + 1):
        points = sorted(rng.sample(range(1, 30), rng.randint(1, 4)))
        current = rng.choice([0, *points[:-1]])
        choices.append((number, current, [(p, star) for star, p in enumerate(points, 1) if p > current]))
    needed = rng.randint(1, 60)
    expected = brute_force(choices, needed)
    plan = cheapest_plan(choices, needed)
    if expected is None:
        assert plan is None
        return
    gain = sum(move.to_points - move.from_points for move in plan)
    assert (len(plan), gain - needed) == expected
    assert len({move.indicator for move in plan}) == len(plan)
    assert all(isinstance(move, Move) and move.to_points > move.from_points for move in plan)


def test_one_point_short_takes_a_one_point_move() -> None:
    result = score_level(level("county"), values_for_total("county", 209))
    plan = next_star_plan(level("county"), result)
    assert (plan.star, plan.points_needed) == (3, 1)
    assert len(plan.plan) == 1 and plan.plan[0].to_points - plan.plan[0].from_points == 1


def test_a_long_way_on_the_real_level_is_exact_and_quick() -> None:
    result = score_level(level("city"), values_for_total("city", 210))
    plan = next_star_plan(level("city"), result)
    assert (plan.star, plan.points_needed) == (4, 130)
    gains = sorted((max(t["points"] for t in ind["tiers"]) - result.indicator(ind["number"]).points
                    for ind in level("city")["indicators"] if ind["tiers"]), reverse=True)
    fewest = next(k for k in range(1, len(gains) + 1) if sum(gains[:k]) >= 130)
    assert len(plan.plan) == fewest
    assert sum(m.to_points - m.from_points for m in plan.plan) >= 130
