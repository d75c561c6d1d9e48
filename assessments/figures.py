"""An assessment's figures (pure): which value each indicator is scored on (entered, computed from the
communities, or entered over the computed one), its points, the level's total, band and next-star plan, and the
contract JSON of interfaces.md ("City and county self-assessment").

Scoring is standards.scoring's; this module only decides the values it is given and shapes the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from standards import scoring
from standards.scoring import IndicatorScore, LevelScore, StarPlan, TierHint

from .sources import Derived, Source, source_of

ENTERED, COMMUNITY, OVERRIDE = "entered", "community", "override"
SOURCE_LABELS = {
    ENTERED: pgettext_lazy("数据来源", "填报"), COMMUNITY: _("社区数据汇总"), OVERRIDE: _("填报（替代社区汇总值）"),
}


@dataclass(frozen=True)
class Entered:
    """A value a bureau reported for one indicator, as stored (exact, decimals as strings), and by whom."""

    values: Mapping[str, Any]
    note: str = ""
    department: str = ""
    updated_by: str = ""
    updated_at: str = ""
    via: str = ""


@dataclass(frozen=True)
class IndicatorFigure:
    """One indicator: the values it is scored on, where they came from, its score and what the next tier takes."""

    definition: Mapping[str, Any]
    source: str
    values: Mapping[str, Any]  # exact values given to the engine
    score: IndicatorScore
    community: Source | None = None  # where a computed value comes from, for community-derived indicators
    derived: Derived | None = None
    computed_score: IndicatorScore | None = None  # the computed value's score, when a bureau overrode it
    entered: Entered | None = None
    problem: str = ""  # stored values that no longer read under the pinned standard (never expected)

    @property
    def number(self) -> int:
        return int(self.definition["number"])

    @cached_property
    def hint(self) -> TierHint | None:
        """What the next tier takes: worked out when a page shows it (the province overview's ~5,000 indicators
        need only their points, and the hint cost as much as the scoring)."""
        return scoring.next_tier_hint(self.definition, self.values)

    @property
    def shown(self) -> dict[str, Any]:
        """Return the values as the JSON shows them: exact as typed; a computed percent rounded half-up."""
        if self.source == COMMUNITY:
            return computed_values(self.definition, self.derived)
        return {key: json_value(value) for key, value in self.values.items() if value is not None}

    def as_dict(self) -> dict[str, Any]:
        """Return the indicator's entry of the contract JSON."""
        entry: dict[str, Any] = {"number": self.number, "points": self.score.points, "star": self.score.star,
                                 "source": self.source, "values": self.shown}
        if self.source == COMMUNITY and self.derived is not None:
            entry["basis"] = dict(self.derived.basis)
        if self.source == OVERRIDE:
            entry["note"] = self.entered.note if self.entered else ""
            entry["computed"] = {
                "values": computed_values(self.definition, self.derived),
                "points": self.computed_score.points if self.computed_score else 0,
                "star": self.computed_score.star if self.computed_score else None,
                "basis": dict(self.derived.basis) if self.derived else {},
            }
        if self.score.missing:
            entry["missing"] = True
        return entry


@dataclass(frozen=True)
class Figures:
    """A whole assessment: every indicator's figure, the level's score and the fewest moves to the next star."""

    level: str
    level_def: Mapping[str, Any]
    indicators: tuple[IndicatorFigure, ...]
    score: LevelScore
    plan: StarPlan | None

    def indicator(self, number: int) -> IndicatorFigure:
        return next(figure for figure in self.indicators if figure.number == number)

    def as_dict(self) -> dict[str, Any]:
        """Return total, star, next_star and indicators as the contract JSON has them."""
        return {
            "total": self.score.total,
            "star": self.score.star,
            "next_star": self.plan.as_dict() if self.plan else None,
            "indicators": [figure.as_dict() for figure in self.indicators],
        }

    def categories(self) -> list[dict[str, Any]]:
        """Return points and maximum per 一级指标."""
        return [{"key": c.key, "label": c.label, "points": c.points, "max_points": c.max_points}
                for c in self.score.categories]


def json_value(value: Any) -> Any:
    """Return an exact value for JSON: decimals as their exact text, fractions rounded half-up for display."""
    if isinstance(value, Decimal):
        return format(value, "f")  # never an exponent (1E+2): the stored text must read back
    if isinstance(value, Fraction):
        return str(scoring.round_half_up(value))
    return value


def computed_values(indicator: Mapping[str, Any], derived: Derived | None) -> dict[str, str]:
    """Return a computed percentage under the indicator's input key, rounded half-up to 2 decimals."""
    if derived is None or derived.percent is None:
        return {}
    return {indicator["inputs"][0]["key"]: str(scoring.round_half_up(derived.percent))}


def computed_input(indicator: Mapping[str, Any], derived: Derived | None) -> dict[str, Fraction | None]:
    """Return the exact computed percentage as the indicator's (single) input."""
    return {indicator["inputs"][0]["key"]: derived.percent if derived else None}


def stored_values(indicator: Mapping[str, Any], raw: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """Read stored values exactly; a problem (values that do not fit the indicator) leaves them unset."""
    try:
        return scoring.parse_inputs(indicator, raw), ""
    except scoring.InputValuesError as exc:
        return {}, gettext("已存的填报值不符合本指标：%(problem)s") % {"problem": exc}


def figure_of(indicator: Mapping[str, Any], entered: Entered | None, derived: Derived | None) -> IndicatorFigure:
    """Decide the values one indicator is scored on and score them."""
    community = source_of(indicator)
    computed = computed_input(indicator, derived) if community is not None else {}
    if entered is not None:
        values, problem = stored_values(indicator, entered.values)
        source = OVERRIDE if community is not None else ENTERED
    else:
        values, problem = computed, ""
        source = COMMUNITY if community is not None else ENTERED
    computed_score = scoring.score_indicator(indicator, computed) if source == OVERRIDE else None
    return IndicatorFigure(
        definition=indicator, source=source, values=values, score=scoring.score_indicator(indicator, values),
        community=community, derived=derived,
        computed_score=computed_score, entered=entered, problem=problem,
    )


def build(level_def: Mapping[str, Any], entered: Mapping[int, Entered], derived: Mapping[int, Derived], *,
          plan: bool = True) -> Figures:
    """Return the figures of a level (see scoring.resolve_level) from what was entered and what was computed."""
    indicators = tuple(
        figure_of(ind, entered.get(ind["number"]), derived.get(ind["number"])) for ind in level_def["indicators"]
    )
    score = scoring.score_level(level_def, {f.number: f.values for f in indicators},
                               scored={f.number: f.score for f in indicators})
    star_plan = scoring.next_star_plan(level_def, score) if plan else None
    return Figures(level_def["key"], level_def, indicators, score, star_plan)


def tier_text(indicator: Mapping[str, Any], points: int) -> str:
    """Return the seed's wording of the indicator's tier worth `points`."""
    return next((t["text"] for t in indicator.get("tiers") or [] if t["points"] == points), "")


def band_line(score: LevelScore) -> str:
    """Return the band the total falls in, e.g. "352分，四星（340-449分）"."""
    if score.band is None:
        lowest = score.bands[0] if score.bands else None
        if lowest is None:
            return gettext("%(total)s分，未达到星级") % {"total": score.total}
        return gettext("%(total)s分，未达到星级（一星需%(min)s分）") % {"total": score.total, "min": lowest.min}
    return gettext("%(total)s分，%(star)s（%(min)s-%(max)s分）") % {
        "total": score.total, "star": STAR_WORDS[score.band.star], "min": score.band.min, "max": score.band.max}


STAR_WORDS = {1: _("一星"), 2: _("二星"), 3: _("三星"), 4: _("四星"), 5: _("五星")}


def next_band(score: LevelScore) -> tuple[int, int] | None:
    """Return (star, points still needed) of the band above the total's, or None at the top."""
    above = [band for band in score.bands if score.star is None or band.star > score.star]
    if not above:
        return None
    target = min(above, key=lambda band: band.min)
    return target.star, target.min - score.total
