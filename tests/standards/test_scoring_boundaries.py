"""Generated boundary tests: every tier of every indicator of both levels, at, just above and below."""

from __future__ import annotations

from collections import Counter

import pytest

from standards.scoring import condition_holds, score_indicator
from tests.standards.scoring_factory import STANDARD, Boundary, boundary_cases

CASES = boundary_cases()
TIERED = [case for case in CASES if case.tier is not None]
DEDUCTIONS = [case for case in CASES if case.tier is None]


def tier_points(case: Boundary, star: int) -> int:
    """Return the YAML's points for the indicator's tier of `star`."""
    return next(tier["points"] for tier in case.indicator["tiers"] if tier["star"] == star)


@pytest.mark.parametrize("case", TIERED, ids=[case.id for case in TIERED])
def test_tier_boundary(case: Boundary) -> None:
    tier = case.tier
    assert condition_holds(case.indicator, tier["when"], case.values) is case.holds
    score = score_indicator(case.indicator, case.values)
    if case.holds:
        assert score.points >= tier["points"]
        assert score.star is not None and score.points == tier_points(case, score.star)
    else:
        assert score.star != tier["star"]
        assert score.points in {0} | {t["points"] for t in case.indicator["tiers"]}
    if case.single_threshold and case.case == "at":
        assert (score.points, score.star) == (tier["points"], tier["star"])
    if case.single_threshold and not case.holds:
        assert score.points < tier["points"]
    assert score.missing is (not any(value is not None for value in case.values.values()))


@pytest.mark.parametrize("case", DEDUCTIONS, ids=[case.id for case in DEDUCTIONS])
def test_deduction_boundary(case: Boundary) -> None:
    deduction = case.indicator["deduction"]
    incidents = case.values[deduction["input"]]
    score = score_indicator(case.indicator, case.values)
    assert score.points == deduction["points"] * incidents
    assert score.star is None and score.missing is False and score.deduction is True


def test_every_indicator_of_both_levels_is_covered() -> None:
    covered = Counter((case.level, case.indicator["number"]) for case in CASES)
    expected = {(level, ind["number"]) for level, d in STANDARD["levels"].items() for ind in d["indicators"]}
    assert set(covered) == expected
    assert Counter(level for level, _ in covered) == {"city": 49, "county": 52}
    assert len(covered) == 101


def test_every_tier_has_a_holding_and_a_failing_case() -> None:
    seen: dict[tuple, set[bool]] = {}
    for case in TIERED:
        seen.setdefault((case.level, case.indicator["number"], case.tier["star"]), set()).add(case.holds)
    tiers = sum(len(ind["tiers"]) for d in STANDARD["levels"].values() for ind in d["indicators"])
    assert len(seen) == tiers == 350
    assert all(outcomes == {True, False} for outcomes in seen.values())


def test_case_count_and_ids_are_readable_and_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
    assert {"city-1-star3-at", "city-1-star3-above", "city-1-star3-below", "county-52-star5-below"} <= set(ids)
    assert len(TIERED) >= 3 * 350
    assert len(DEDUCTIONS) == 6
