"""Geometry for the dashboard's server-rendered SVG coverage bars (no scripts, no CDN: works offline).

Only drawing uses floats; every figure shown comes from the coverage JSON, computed exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from . import scoring

WIDTH = 400  # SVG user units, drawn one to one in CSS pixels (not scaled down, so the 12 px labels stay 12 px)
LABEL_ROOM = 40  # a label centred closer than this to an end is anchored to that end instead, so it is not clipped


@dataclass(frozen=True)
class TierLine:
    x: float
    label: str  # e.g. "≥ 30% 12分"

    @property
    def anchor(self) -> str:
        """Where the label hangs from its line: inside the bar near either end, centred elsewhere."""
        if self.x < LABEL_ROOM:
            return "start"
        return "end" if self.x > WIDTH - LABEL_ROOM else "middle"


@dataclass(frozen=True)
class Bar:
    width: float
    fill: float
    percent: float
    tone: str  # "none", "tier" or "top": which colour the bar takes
    lines: tuple[TierLine, ...]
    label: str


def _x(percent: Decimal | int | float) -> float:
    return round(min(max(float(percent), 0.0), 100.0) * WIDTH / 100, 2)


def tier_label(tier: dict) -> str:
    """Return a tier as the policy writes it, e.g. "≥ 30% 12分" or "> 50% 15分" (the threshold as the policy gives it,
    one space after the sign, none before %)."""
    sign = "≥" if tier["op"] == "ge" else ">"
    return _("%(sign)s %(percent)s%% %(points)s分") % {"sign": sign, **tier}


def bar(entry: dict, tiers: list[dict]) -> Bar:
    """Return the bar for a city or unit entry of the coverage JSON, with a line at each tier threshold."""
    held = entry.get("points")
    top = max((int(t["points"]) for t in tiers), default=0)
    if "points" not in entry:
        tone = "plain"  # a main urban district: the lines show the city's tiers it contributes to
    else:
        tone = "none" if not held else ("top" if held >= top else "tier")
    return Bar(
        width=WIDTH,
        fill=_x(entry["coverage_percent"]),
        percent=entry["coverage_percent"],
        tone=tone,
        lines=tuple(TierLine(_x(Decimal(str(t["percent"]))), tier_label(t)) for t in tiers),
        label=f"{entry['smart_communities']}/{entry['communities']}",
    )


def plain_bar(smart: int, total: int) -> Bar:
    """Return a bar without tier lines (streets and main urban units are not scored on their own)."""
    percent = float(scoring.percent_display(scoring.coverage_fraction(smart, total)))
    return Bar(WIDTH, _x(percent), percent, "plain", (), f"{smart}/{total}")
