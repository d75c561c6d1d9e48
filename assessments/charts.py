"""Geometry for the server-rendered SVG charts (no scripts, no CDN): the total on the band line, and points by
category against each category's maximum. Only drawing uses floats; every figure shown is an exact integer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH = 500  # SVG user units; the chart scales to the page through its viewBox


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
    marks = tuple(Mark(_x(b["min"], top), f"{b['star']}星 {b['min']}") for b in doc["bands"])
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


def category_bars(categories: list[dict[str, Any]]) -> tuple[int, tuple[CategoryBar, ...]]:
    """Return the chart height and one bar per category: its track is its maximum, the fill its points."""
    top = max((c["max_points"] for c in categories), default=0)
    bars = tuple(
        CategoryBar(c["label"], c["points"], c["max_points"], i * ROW + 4, _x(c["max_points"], top),
                    _x(c["points"], top))
        for i, c in enumerate(categories)
    )
    return len(categories) * ROW, bars
