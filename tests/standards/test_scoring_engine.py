"""Indicator and level scoring: tiers, unset inputs, the deduction, missing, totals, categories and bands."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from standards.scoring import resolve_level, score_indicator, score_level
from tests.standards.scoring_factory import STANDARD, at_top, indicator, level, values_for_total

D = Decimal


@pytest.mark.parametrize(
    ("percent", "points", "star"),
    [(None, 0, None), ("49.99", 0, None), ("50", 2, 1), ("89.99", 6, 3), ("90", 8, 4), ("92.5", 8, 4), ("100", 10, 5)],
)
def test_fiber_household_rate(percent: str | None, points: int, star: int | None) -> None:
    score = score_indicator(indicator("city", 1), {"percent": None if percent is None else D(percent)})
    assert (score.points, score.star, score.missing) == (points, star, percent is None)
    assert score.max_points == 10 and score.category == "infrastructure" and score.key == "fiber_household_rate"


def test_missing_only_when_no_input_is_set() -> None:
    video = indicator("city", 4)
    assert score_indicator(video, {}).missing
    assert score_indicator(video, {"coverage_percent": None, "integrity_percent": None}).missing
    partial = score_indicator(video, {"coverage_percent": D(95)})
    assert (partial.points, partial.star, partial.missing) == (0, None, False)
    assert score_indicator(video, {"coverage_percent": D(95), "integrity_percent": D("88.5")}).points == 6


def test_a_comparison_on_an_unset_input_is_false() -> None:
    investment = indicator("city", 43)
    assert score_indicator(investment, {"social_capital_percent": D(60), "fiscal_major_projects": True}).points == 0
    everything = {"special_fund": True, "fiscal_major_projects": True, "social_capital_percent": D("50.01")}
    assert score_indicator(investment, everything).points == 15
    assert score_indicator(investment, {**everything, "social_capital_percent": D(50)}).points == 12
    assert score_indicator(investment, {"special_fund": False, "diversified_investment": True}).points == 0


@pytest.mark.parametrize(("incidents", "points"), [(None, 0), (0, 0), (1, -5), (3, -15), (30, -150)])
def test_the_deduction_is_points_per_incident_times_incidents(incidents: int | None, points: int) -> None:
    for level_key, number in (("city", 45), ("county", 48)):
        score = score_indicator(indicator(level_key, number), {"incidents": incidents})
        assert (score.points, score.star, score.deduction) == (points, None, True)
        assert score.missing is (incidents is None)
        assert score.max_points == 0


@pytest.mark.parametrize(("rank", "points"), [(1, 15), (3, 15), (4, 13), (6, 13), (7, 11), (12, 9), (13, 7), (16, 7)])
def test_rank_bands(rank: int, points: int) -> None:
    assert score_indicator(indicator("city", 17), {"rank": rank}).points == points


@pytest.mark.parametrize(
    ("percentile", "points"),
    [("0.01", 15), ("25", 15), ("25.01", 12), ("50", 12), ("50.01", 9), ("75", 9), ("75.01", 6), ("100", 6)],
)
def test_county_percentile_partition(percentile: str, points: int) -> None:
    branch = indicator("county", 15)
    assert score_indicator(branch, {"branch_opened": True, "percentile": D(percentile)}).points == points
    assert score_indicator(branch, {"branch_opened": False, "percentile": D(percentile)}).points == 0
    assert score_indicator(branch, {"percentile": D(percentile)}).points == 0


def test_percentile_as_an_exact_fraction() -> None:
    branch = indicator("county", 15)
    assert score_indicator(branch, {"branch_opened": True, "percentile": Fraction(100, 4)}).points == 15
    assert score_indicator(branch, {"branch_opened": True, "percentile": Fraction(2501, 100)}).points == 12


def test_levels_compare_by_option_position() -> None:
    mechanism = indicator("city", 40)
    assert score_indicator(mechanism, {"level": "leading_group"}).points == 2
    assert score_indicator(mechanism, {"level": "annual_meetings"}).points == 8
    assert score_indicator(mechanism, {"level": "working_systems"}).points == 10
    assert score_indicator(indicator("county", 33), {"level": "platforms_running"}).points == 3


def test_readings_chosen_in_the_ambiguity_notes() -> None:
    support = indicator("city", 6)
    assert score_indicator(support, {"contribution_percent": D(60), "departments": 5}).points == 8
    assert score_indicator(support, {"contribution_percent": D(60), "departments": 6}).points == 10
    assert score_indicator(support, {"contribution_percent": D(45), "departments": 3}).points == 6
    cloud = indicator("city", 33)
    assert score_indicator(cloud, {"percent": D(10)}).points == 9
    assert score_indicator(cloud, {"percent": D("10.01")}).points == 12
    pilots = indicator("city", 46)
    assert score_indicator(pilots, {"pilots": 6, "national_pilots": 4, "provincial_pilots": 2}).points == 6
    publicity = indicator("county", 50)
    assert score_indicator(publicity, {"national_provincial_activities": 1}).points == 6


def test_community_values_are_exact_fractions() -> None:
    lighting = indicator("county", 18)
    assert score_indicator(lighting, {"percent": Fraction(1, 2) * 100}).points == 2
    assert score_indicator(lighting, {"percent": Fraction(4999, 100)}).points == 0
    assert score_indicator(indicator("city", 24), {"percent": Fraction(800, 11)}).points == 6  # 72.73%


def test_floats_are_refused_by_the_engine() -> None:
    with pytest.raises(TypeError):
        score_indicator(indicator("city", 1), {"percent": 90.0})
    with pytest.raises(TypeError):
        score_indicator(indicator("city", 16), {"modes": True})


@pytest.mark.parametrize(
    ("total", "star"),
    [(49, None), (50, 1), (99, 1), (100, 2), (209, 2), (210, 3), (339, 3), (340, 4), (449, 4), (450, 5), (500, 5)],
)
@pytest.mark.parametrize("level_key", ["city", "county"])
def test_total_maps_to_a_band(level_key: str, total: int, star: int | None) -> None:
    result = score_level(level(level_key), values_for_total(level_key, total))
    assert result.total == total
    assert result.star == star
    if star is None:
        assert result.band is None
    else:
        assert result.band.star == star and result.band.min <= total <= result.band.max


def test_bands_come_from_the_yaml() -> None:
    result = score_level(level("city"), {})
    assert [(b.star, b.min, b.max) for b in result.bands] == [
        (1, 50, 99), (2, 100, 209), (3, 210, 339), (4, 340, 449), (5, 450, 500),
    ]
    assert (result.total, result.star, result.band, result.max_points) == (0, None, None, 500)
    assert len(result.missing) == 49


@pytest.mark.parametrize("level_key", ["city", "county"])
def test_everything_at_the_top_is_500(level_key: str) -> None:
    result = score_level(level(level_key), at_top(level_key))
    assert (result.total, result.star, result.missing) == (500, 5, ())
    assert all(c.points == c.max_points for c in result.categories)
    assert sum(c.max_points for c in result.categories) == 500


def test_category_totals_and_maxima() -> None:
    values = at_top("city")
    values[45] = {"incidents": 2}
    values[1] = {"percent": D(90)}
    result = score_level(level("city"), values)
    assert result.total == 500 - 10 - 2
    assert result.star == 5
    categories = {c.key: (c.label, c.points, c.max_points) for c in result.categories}
    assert categories == {
        "infrastructure": ("基础设施", 105, 107),
        "services": ("数字惠民", 99, 99),
        "governance": ("数字政务", 79, 79),
        "economy": ("数字经济", 77, 77),
        "safeguards": ("保障措施", 47, 57),
        "local": ("地方特色", 81, 81),
    }
    assert result.indicator(45).points == -10 and result.indicator(1).points == 8
    with pytest.raises(KeyError):
        result.indicator(99)


def test_deductions_can_push_below_every_band() -> None:
    result = score_level(level("county"), {48: {"incidents": 2}})
    assert (result.total, result.star) == (-10, None)
    values = values_for_total("county", 454)
    values[48] = {"incidents": 1}
    after = score_level(level("county"), values)
    assert (after.total, after.star) == (449, 4)


def test_resolve_level_fills_in_shared_fields() -> None:
    city = resolve_level(STANDARD, "city")
    assert city["key"] == "city" and city["bands"] == STANDARD["bands"]
    assert city["categories"] == STANDARD["categories"] and city["max_points"] == 500
    assert "bands" not in STANDARD["levels"]["city"]


def test_values_for_an_unknown_indicator_are_refused() -> None:
    with pytest.raises(ValueError, match="no such indicators"):
        score_level(level("city"), {50: {"percent": D(1)}})
