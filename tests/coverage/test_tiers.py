"""Tests for the pure coverage arithmetic of the city and county roll-up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from checklists.models import ItemResult
from coverage.scoring import coverage_fraction, held_tier, next_tier, percent_display, score, tier_holds

STANDARD_PATH = Path(__file__).resolve().parents[2] / "standards/bundled/SD-ZHSQ-2019.yaml"
ROLLUP = yaml.safe_load(STANDARD_PATH.read_text(encoding="utf-8"))["rollup"]
CITY = ROLLUP["city"]["tiers"]
COUNTY = ROLLUP["county"]["tiers"]


def test_tiers_are_the_ones_the_examples_assume() -> None:
    assert CITY == [
        {"star": 4, "op": "ge", "percent": 30, "points": 12},
        {"star": 5, "op": "gt", "percent": 50, "points": 15},
    ]
    assert COUNTY == [
        {"star": 4, "op": "ge", "percent": 50, "points": 12},
        {"star": 5, "op": "gt", "percent": 80, "points": 15},
    ]


def nxt(star: int, points: int, needed: int | None) -> dict:
    """Build an expected next_tier dict."""
    return {"star": star, "points": points, "smart_communities_needed": needed}


@pytest.mark.parametrize(
    ("smart", "total", "points", "star", "next_"),
    [
        (3, 10, 12, 4, nxt(5, 15, 3)),
        (5, 10, 12, 4, nxt(5, 15, 1)),
        (6, 10, 15, 5, None),
        (2, 10, 0, None, nxt(4, 12, 1)),
        (0, 10, 0, None, nxt(4, 12, 3)),
        (10, 10, 15, 5, None),
        # exactly 30% and one community either side
        (30, 100, 12, 4, nxt(5, 15, 21)),
        (29, 100, 0, None, nxt(4, 12, 1)),
        (31, 100, 12, 4, nxt(5, 15, 20)),
        # exactly 50% is not "more than 50%"; one community either side
        (50, 100, 12, 4, nxt(5, 15, 1)),
        (49, 100, 12, 4, nxt(5, 15, 2)),
        (51, 100, 15, 5, None),
        # ratios that do not land on a whole community
        (1, 3, 12, 4, nxt(5, 15, 1)),
        (2, 7, 0, None, nxt(4, 12, 1)),
        (3, 7, 12, 4, nxt(5, 15, 1)),
        (1, 2, 12, 4, nxt(5, 15, 1)),
        (0, 1, 0, None, nxt(4, 12, 1)),
        (1, 1, 15, 5, None),
        (0, 0, 0, None, nxt(4, 12, None)),
    ],
)
def test_city_tiers(smart: int, total: int, points: int, star: int | None, next_: dict | None) -> None:
    result = score(CITY, smart, total)
    assert (result["points"], result["star"], result["next_tier"]) == (points, star, next_)


@pytest.mark.parametrize(
    ("smart", "total", "points", "star", "next_"),
    [
        (8, 10, 12, 4, nxt(5, 15, 1)),
        (4, 5, 12, 4, nxt(5, 15, 1)),
        (9, 10, 15, 5, None),
        (5, 10, 12, 4, nxt(5, 15, 4)),
        (4, 10, 0, None, nxt(4, 12, 1)),
        # exactly 50% and one community either side
        (50, 100, 12, 4, nxt(5, 15, 31)),
        (49, 100, 0, None, nxt(4, 12, 1)),
        (51, 100, 12, 4, nxt(5, 15, 30)),
        # exactly 80% is not "more than 80%"; one community either side
        (80, 100, 12, 4, nxt(5, 15, 1)),
        (79, 100, 12, 4, nxt(5, 15, 2)),
        (81, 100, 15, 5, None),
        (1, 2, 12, 4, nxt(5, 15, 1)),
        (0, 3, 0, None, nxt(4, 12, 2)),
        (0, 0, 0, None, nxt(4, 12, None)),
    ],
)
def test_county_tiers(smart: int, total: int, points: int, star: int | None, next_: dict | None) -> None:
    result = score(COUNTY, smart, total)
    assert (result["points"], result["star"], result["next_tier"]) == (points, star, next_)


@pytest.mark.parametrize("tiers", [CITY, COUNTY], ids=["city", "county"])
@pytest.mark.parametrize("total", [*range(1, 41), 99, 100, 101, 997, 1000, 10_000])
def test_needed_is_the_fewest_more_smart_communities(tiers: list[dict], total: int) -> None:
    """Check the formula against a brute-force search over every smart count."""
    for smart in range(total + 1) if total <= 1000 else (0, 2999, 3000, 5000, 5001, 7999, 8000, 8001):
        following = next_tier(tiers, smart, total)
        if following is None:
            assert held_tier(tiers, smart, total) == max(tiers, key=lambda tier: tier["points"])
            continue
        target = next(tier for tier in tiers if tier["points"] == following["points"])
        needed = following["smart_communities_needed"]
        assert needed >= 1 and tier_holds(target, smart + needed, total)
        assert not tier_holds(target, smart + needed - 1, total)


def test_unreachable_tier_has_no_needed_count() -> None:
    impossible = [{"star": 6, "op": "gt", "percent": 100, "points": 20}]
    assert next_tier(impossible, 10, 10) == nxt(6, 20, None)
    assert next_tier(CITY, 0, 0) == nxt(4, 12, None)


@pytest.mark.parametrize(
    ("tier", "smart", "total", "holds"),
    [
        (CITY[0], 3, 10, True),
        (CITY[0], 2, 10, False),
        (CITY[1], 5, 10, False),
        (CITY[1], 6, 10, True),
        (COUNTY[1], 8, 10, False),
        (COUNTY[1], 4, 5, False),
        (COUNTY[1], 5, 5, True),
        (CITY[0], 0, 0, False),
        ({"star": 4, "op": "ge", "percent": 0, "points": 1}, 0, 0, False),
        ({"star": 4, "op": "ge", "percent": 0, "points": 1}, 0, 1, True),
        ({"star": 4, "op": "ge", "percent": 12.5, "points": 1}, 1, 8, True),
        ({"star": 4, "op": "gt", "percent": 12.5, "points": 1}, 1, 8, False),
        ({"star": 4, "op": "gt", "percent": 33.33, "points": 1}, 1, 3, True),
    ],
)
def test_tier_holds_exactly(tier: dict, smart: int, total: int, holds: bool) -> None:
    assert tier_holds(tier, smart, total) is holds


def test_held_tier_is_the_highest_by_points_regardless_of_order() -> None:
    assert held_tier(list(reversed(CITY)), 6, 10) == CITY[1]
    assert held_tier(CITY, 3, 10) == CITY[0]
    assert held_tier(CITY, 2, 10) is None
    assert held_tier([], 5, 10) is None and next_tier([], 5, 10) is None


def test_fractional_percent_threshold_needed() -> None:
    tiers = [{"star": 1, "op": "ge", "percent": 12.5, "points": 3}]
    assert next_tier(tiers, 0, 8) == nxt(1, 3, 1)
    assert next_tier(tiers, 0, 9) == nxt(1, 3, 2)


@pytest.mark.parametrize(
    ("smart", "total", "fraction"),
    [(3, 10, Fraction(3, 10)), (1, 3, Fraction(1, 3)), (0, 0, Fraction(0)), (0, 5, Fraction(0))],
)
def test_coverage_fraction(smart: int, total: int, fraction: Fraction) -> None:
    result = coverage_fraction(smart, total)
    assert result == fraction and isinstance(result, Fraction)


@pytest.mark.parametrize(("smart", "total"), [(-1, 10), (11, 10), (1, 0), (0, -1)])
def test_impossible_counts_are_rejected(smart: int, total: int) -> None:
    with pytest.raises(ValueError):
        score(CITY, smart, total)


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [
        (Fraction(1, 3), "33.33"),
        (Fraction(2, 3), "66.67"),
        (Fraction(1, 8), "12.50"),
        (Fraction(1, 800), "0.13"),
        (Fraction(3, 800), "0.38"),
        (Fraction(1, 1600), "0.06"),
        (Fraction(1, 2), "50.00"),
        (Fraction(0), "0.00"),
        (Fraction(1), "100.00"),
        (Fraction(1, 30_000), "0.00"),
        (Fraction(1, 20_000), "0.01"),
        (Fraction(-1, 800), "-0.13"),
    ],
)
def test_percent_display_rounds_half_up(fraction: Fraction, shown: str) -> None:
    result = percent_display(fraction)
    assert isinstance(result, Decimal) and str(result) == shown


def test_score_shape() -> None:
    assert score(CITY, 5, 10) == {
        "coverage_percent": Decimal("50.00"),
        "points": 12,
        "star": 4,
        "next_tier": nxt(5, 15, 1),
    }
    assert score(COUNTY, 0, 0) == {
        "coverage_percent": Decimal("0.00"),
        "points": 0,
        "star": None,
        "next_tier": nxt(4, 12, None),
    }


@pytest.mark.parametrize(
    ("status", "rules_pass", "passes"),
    [
        ("approved", True, True),
        ("approved", False, False),
        ("submitted", True, False),
        ("draft", True, False),
        ("returned", True, False),
        ("", True, False),
    ],
)
def test_item_passes_only_when_approved_and_rules_hold(status: str, rules_pass: bool, passes: bool) -> None:
    assert ItemResult(status=status, rules_pass=rules_pass).passes is passes
