"""Self-assessed against expert points, per indicator, and the bands they give; a later review compared with
the application (pure: over a snapshot's frozen document and the experts' adjustments)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext

from standards.scoring.engine import band_for, bands_of


@dataclass(frozen=True)
class Row:
    number: int
    name: str
    category: str
    max_points: int
    self_points: int
    expert_points: int
    reason: str
    allowed: tuple[int, ...] | None  # the points the experts may give (None: a deduction, any points <= 0)

    @property
    def adjusted(self) -> bool:
        return self.expert_points != self.self_points

    @property
    def difference(self) -> int:
        return self.expert_points - self.self_points


@dataclass(frozen=True)
class ReviewScore:
    rows: tuple[Row, ...]
    self_total: int
    expert_total: int
    self_star: int | None
    expert_star: int | None
    max_points: int

    def row(self, number: int) -> Row | None:
        return next((row for row in self.rows if row.number == number), None)


@dataclass(frozen=True)
class Change:
    """One indicator's points in the application and in a later review (expert points both)."""

    number: int
    name: str
    before: int
    after: int

    @property
    def difference(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    improved: tuple[Change, ...]
    fell_back: tuple[Change, ...]
    unchanged: int
    before_total: int
    after_total: int


def indicators(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the document's indicators in order, each with its category's label."""
    return [{**ind, "category_label": category["label"]} for category in document["categories"]
            for ind in category["indicators"]]


def allowed_points(indicator: Mapping[str, Any]) -> tuple[int, ...] | None:
    """Return the points an indicator can earn (0 and its tiers' points), or None for the deduction."""
    if indicator.get("deduction"):
        return None
    return tuple(sorted({0, *(int(t["points"]) for t in indicator.get("tiers") or [])}))


def points_problem(indicator: Mapping[str, Any], points: int) -> str:
    """Return why `points` cannot be given to this indicator ("" when they can)."""
    allowed = allowed_points(indicator)
    if allowed is None:
        return "" if points <= 0 else gettext("扣分项只能为 0 或负分")
    if points not in allowed:
        return gettext("本指标只能评 %(points)s 分（标准中各档的分值）") % {
            "points": "、".join(str(p) for p in allowed)}
    return ""


def star_of(document: Mapping[str, Any], total: int | Fraction) -> int | None:
    band = band_for(bands_of(document), total)  # a document carries its level's bands
    return band.star if band else None


def review_score(document: Mapping[str, Any], adjustments: Mapping[int, tuple[int, str]]) -> ReviewScore:
    """Return every indicator's self and expert points, the totals and their stars."""
    rows = tuple(
        Row(number=ind["number"], name=ind["name"], category=ind["category_label"], max_points=ind["max_points"],
            self_points=ind["points"], expert_points=adjustments.get(ind["number"], (ind["points"], ""))[0],
            reason=adjustments.get(ind["number"], (0, ""))[1], allowed=allowed_points(ind))
        for ind in indicators(document)
    )
    self_total = sum(row.self_points for row in rows)
    expert_total = sum(row.expert_points for row in rows)
    return ReviewScore(rows, self_total, expert_total, star_of(document, self_total), star_of(document, expert_total),
                       int(document["max_points"]))


def compare(before: ReviewScore, after: ReviewScore) -> Comparison:
    """Return what improved and what fell back between two reviews, by expert points."""
    earlier = {row.number: row for row in before.rows}
    changes = [Change(row.number, row.name, earlier[row.number].expert_points, row.expert_points)
               for row in after.rows if row.number in earlier]
    improved = tuple(c for c in changes if c.difference > 0)
    fell_back = tuple(c for c in changes if c.difference < 0)
    return Comparison(improved, fell_back, len(changes) - len(improved) - len(fell_back), before.expert_total,
                      after.expert_total)


def adjustment_map(adjustments: Iterable) -> dict[int, tuple[int, str]]:
    """Return {number: (points, reason)} from Adjustment rows."""
    return {a.number: (a.points, a.reason) for a in adjustments}
