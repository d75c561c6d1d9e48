"""Geometry for the server-rendered SVG charts (no scripts, no CDN): the total on the band line, and points by
category against each category's maximum. Only drawing uses floats; every figure shown is an exact integer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

WIDTH = 500  # SVG user units; the chart scales to the page through its viewBox
FONT = 12  # the labels' size in user units (assessments.css)


def _x(value: int, top: int) -> float:
    return round(min(max(value, 0), top) * WIDTH / top, 2) if top else 0.0


@dataclass(frozen=True)
class Mark:
    x: float
    label: str


@dataclass(frozen=True)
class BandLine:
    width: int
    fill: float
    total: int
    marks: tuple[Mark, ...]
    tone: str  # "none" below the first band, else "star"


def band_line(doc: dict[str, Any]) -> BandLine:
    """Return the total as a bar from 0 to the maximum with a mark where each band begins."""
    top = doc["max_points"]
    marks = tuple(Mark(_x(b["min"], top), _("%(star)s星 %(min)s") % b) for b in doc["bands"])
    return BandLine(WIDTH, _x(doc["total"], top), doc["total"], marks, "star" if doc["star"] else "none")


@dataclass(frozen=True)
class CategoryBar:
    label: str
    points: int
    max_points: int
    y: int  # the bar's top
    track: float
    fill: float

    @property
    def text_y(self) -> int:
        return self.y + 12

    @property
    def value_x(self) -> float:
        return self.track + 6


ROW = 28
GAP = 6  # between a label and its bar, and between a bar and its figure


def text_width(text: str, size: int = FONT) -> float:
    """Return a generous estimate of a label's width: a CJK character is one em, a digit or Latin letter 0.65 em
    (the value is bold). Used only to leave room, so that no label runs off the chart."""
    return round(sum(1.0 if ord(ch) >= 0x2E80 else 0.65 for ch in text) * size, 2)


@dataclass(frozen=True)
class CategoryChart:
    bars: tuple[CategoryBar, ...]
    left: float  # room for the longest category label, left of the bars
    right: float  # room for the widest "105/107", right of the longest bar
    height: int

    @property
    def view_box(self) -> str:
        return f"{-self.left} 0 {self.left + WIDTH + self.right} {self.height}"


def category_bars(categories: list[dict[str, Any]]) -> CategoryChart:
    """Return one bar per category (its track is its maximum, the fill its points), with room for every label."""
    top = max((c["max_points"] for c in categories), default=0)
    bars = tuple(
        CategoryBar(c["label"], c["points"], c["max_points"], i * ROW + 4, _x(c["max_points"], top),
                    _x(c["points"], top))
        for i, c in enumerate(categories)
    )
    left = max((text_width(b.label) for b in bars), default=0) + GAP
    right = max((b.track - WIDTH + GAP + text_width(f"{b.points}/{b.max_points}") for b in bars), default=0) + GAP
    return CategoryChart(bars, left, max(right, 0), len(categories) * ROW)
