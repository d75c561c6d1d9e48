"""An assessment's figures, pure: which value each indicator is scored on, exact comparison of computed values,
overrides beside the computed value, the deduction, totals, bands, the plan and the contract JSON."""

from fractions import Fraction
from functools import cache

from assessments.figures import COMMUNITY, ENTERED, OVERRIDE, Entered, band_line, build, next_band, tier_text
from assessments.sources import Derived, share
from standards import scoring
from standards.versions import parse


@cache
def level(name: str) -> dict:
    return scoring.resolve_level(parse(scoring.BUNDLED.read_text(encoding="utf-8")), name)


def percent(value: Fraction) -> Derived:
    return Derived(value, {"communities": 1, "meeting": 0})


def test_nothing_entered_scores_nothing_and_every_indicator_is_missing():
    figures = build(level("city"), {}, {})
    assert figures.score.total == 0 and figures.score.star is None
    assert len(figures.score.missing) == 49
    entry = figures.as_dict()
    assert entry["total"] == 0 and entry["star"] is None
    assert entry["next_star"]["star"] == 1 and entry["next_star"]["points_needed"] == 50
    first = entry["indicators"][0]
    assert first == {"number": 1, "points": 0, "star": None, "source": ENTERED, "values": {}, "missing": True}


def test_entered_values_are_scored_exactly_as_typed():
    figures = build(level("city"), {1: Entered({"percent": "90"}), 4: Entered({"coverage_percent": "90",
                                                                                "integrity_percent": "89.99"})}, {})
    fiber, video = figures.indicator(1), figures.indicator(4)
    assert (fiber.score.points, fiber.score.star, fiber.shown) == (8, 4, {"percent": "90"})
    assert (video.score.points, video.score.star) == (6, 3)  # both must reach 90: 89.99 does not
    hint = fiber.hint
    assert (hint.from_points, hint.to_points, hint.gain) == (8, 10, 2)
    assert tier_text(fiber.definition, 10) == "家庭光纤宽带入户率达到100%，10分"


def test_a_computed_value_is_compared_exactly_and_shown_rounded_half_up():
    just_below = Fraction(69995, 1000)  # shows as 70.00, but is below the 70% tier
    figures = build(level("county"), {}, {18: percent(just_below), 19: percent(Fraction(200, 3))})
    lighting = figures.indicator(18)
    assert lighting.source == COMMUNITY and lighting.shown == {"percent": "70.00"}
    assert (lighting.score.points, lighting.score.star) == (2, 2)
    assert figures.indicator(19).shown == {"percent": "66.67"}
    exactly = build(level("county"), {}, {18: percent(Fraction(70))}).indicator(18)
    assert exactly.score.points == 4
    entry = lighting.as_dict()
    assert entry["basis"] == {"communities": 1, "meeting": 0} and "missing" not in entry


def test_a_computed_value_that_cannot_be_computed_is_missing_with_its_basis():
    nothing = share(0, 0)
    entry = build(level("county"), {}, {28: nothing}).indicator(28).as_dict()
    assert entry == {"number": 28, "points": 0, "star": None, "source": COMMUNITY, "values": {},
                     "basis": {"communities": 0, "meeting": 0}, "missing": True}


def test_an_override_is_scored_and_the_computed_value_stays_visible():
    figures = build(level("county"), {28: Entered({"percent": "90"}, note="网格办 2026 年台账")},
                    {28: percent(Fraction(60))})
    grid = figures.indicator(28)
    assert grid.source == OVERRIDE and (grid.score.points, grid.score.star) == (8, 4)
    entry = grid.as_dict()
    assert entry["values"] == {"percent": "90"} and entry["note"] == "网格办 2026 年台账"
    assert entry["computed"] == {"values": {"percent": "60.00"}, "points": 4, "star": 2,
                                 "basis": {"communities": 1, "meeting": 0}}


def test_the_deduction_subtracts_per_incident_and_lowers_the_band():
    entered = {48: Entered({"experiences": 3}), 47: Entered({"national_provincial_activities": 5}),
               45: Entered({"incidents": 2})}
    figures = build(level("city"), entered, {})
    assert figures.indicator(45).score.points == -10
    assert figures.indicator(45).as_dict() == {"number": 45, "points": -10, "star": None, "source": ENTERED,
                                               "values": {"incidents": 2}}
    assert figures.score.total == 50 + 8 - 10
    assert figures.score.star is None  # 48 < 50: the deduction took the first star away
    assert figures.plan.points_needed == 2


def test_stored_values_that_no_longer_fit_are_a_problem_not_a_crash():
    figure = build(level("city"), {1: Entered({"percent": "abc"})}, {}).indicator(1)
    assert figure.score.missing and figure.score.points == 0 and "请输入0到100之间的百分数" in figure.problem


def test_band_line_and_next_band():
    top = build(level("city"), {48: Entered({"experiences": 3})}, {}).score
    assert band_line(top) == "50分，一星（50-99分）"
    assert next_band(top) == (2, 50)
    assert band_line(build(level("city"), {}, {}).score) == "0分，未达到星级（一星需50分）"
