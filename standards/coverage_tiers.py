"""One rule for the 智慧社区覆盖率 tiers, which both standards state.

The community standard (SD-ZHSQ-2019) says them in its `rollup` ({op: ge, percent: 30, points: 12}); the scoring
standard (SD-ZHCS-2019) says them again as the tiers of its indicators with `source: community_rollup` (city 49,
county 52: "percent >= 30"). SD-ZHCS's header reads "the value is computed by the smart-community roll-up (see
smart-community-standard.yaml `rollup`)", so the roll-up is the one source:

- the coverage dashboard scores a round with its community standard's `rollup` (coverage.scoring);
- a self-assessment scores 49/52 with tiers read from that same `rollup` (`following_rollup`), whatever the
  scoring standard's copy says, so the dashboard and the self-assessment cannot split;
- a new version of the scoring standard whose copy disagrees with the newest community standard's `rollup` is
  refused (`problems`), naming both, so its text never says something the scores do not do.

Pure: plain data in, plain data out.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from .scoring.grammar import GrammarError, parse_when

ROLLUP_SOURCE = "community_rollup"
LEVELS = ("city", "county")
OPS = {"ge": ">=", "gt": ">"}
WORDS = {"ge": "达到", "gt": "超过"}  # 达到X% -> >= ; 超过X% -> > (the seed's wording)


@dataclass(frozen=True)
class Tier:
    """One coverage tier, exactly."""

    points: int
    star: int | None
    op: str  # "ge" or "gt"
    percent: Fraction


def _ordered(tiers) -> tuple[Tier, ...]:
    return tuple(sorted(tiers, key=lambda t: (t.points, t.star or 0, t.op, t.percent)))


def _exact(raw: Any) -> Fraction:
    return Fraction(Decimal(str(raw))) if not isinstance(raw, int | Fraction) else Fraction(raw)


def percent_text(percent: Fraction) -> str:
    """Return an exact percentage as the YAML writes it: 30, 12.5."""
    value = Decimal(percent.numerator) / Decimal(percent.denominator)
    return format(value.normalize(), "f")


def rollup_tiers(community_data: Mapping[str, Any], level: str) -> tuple[Tier, ...]:
    """Return the community standard's coverage tiers for "city" or "county", lowest first."""
    raw = (community_data.get("rollup") or {}).get(level) or {}
    return _ordered(Tier(int(t["points"]), t.get("star"), t["op"], _exact(t["percent"]))
                    for t in raw.get("tiers") or [])


def rollup_indicators(scoring_data: Mapping[str, Any], level: str) -> list[Mapping[str, Any]]:
    """Return the level's indicators whose value is the smart-community roll-up (city 49, county 52)."""
    level_def = (scoring_data.get("levels") or {}).get(level) or {}
    return [ind for ind in level_def.get("indicators") or [] if ind.get("source") == ROLLUP_SOURCE]


def _tier_of(indicator: Mapping[str, Any], tier: Mapping[str, Any]) -> Tier | None:
    """Read one `when` tier as a coverage tier: a single `KEY >= N` or `KEY > N` on the indicator's input."""
    try:
        condition = parse_when(str(tier.get("when", "")))
    except GrammarError:
        return None
    comparisons = condition.comparisons()
    key = (indicator.get("inputs") or [{}])[0].get("key")
    if len(comparisons) != 1 or comparisons[0].key != key or not isinstance(comparisons[0].value, Decimal):
        return None
    op = next((name for name, symbol in OPS.items() if symbol == comparisons[0].op), None)
    return None if op is None else Tier(int(tier["points"]), tier.get("star"), op, Fraction(comparisons[0].value))


def indicator_tiers(indicator: Mapping[str, Any]) -> tuple[Tier, ...] | None:
    """Return a roll-up indicator's tiers as coverage tiers, lowest first; None if one cannot be read so."""
    tiers = [_tier_of(indicator, tier) for tier in indicator.get("tiers") or []]
    return None if any(t is None for t in tiers) else _ordered(tiers)


def _describe(tiers: Sequence[Tier]) -> str:
    text = "，".join(f"{'≥' if t.op == 'ge' else '>'}{percent_text(t.percent)}% " + _("%(points)d分") % {
        "points": t.points} for t in tiers)
    return text or _("无分档")


def disagreements(community_data: Mapping[str, Any], scoring_data: Mapping[str, Any]) -> list[str]:
    """Return, in Chinese, each roll-up indicator whose tiers differ from the community standard's `rollup`."""
    found = []
    for level in LEVELS:
        wanted = rollup_tiers(community_data, level)
        for indicator in rollup_indicators(scoring_data, level):
            stated = indicator_tiers(indicator)
            if stated != wanted:
                said = _("无法按“percent >= X”或“percent > X”读出") if stated is None else _describe(stated)
                text = _("第%(number)s项（%(level)s）分档为 %(said)s，而社区标准 rollup.%(level)s 为 %(wanted)s")
                found.append(text % {"number": indicator["number"], "level": level, "said": said,
                                     "wanted": _describe(wanted)})
    return found


def _when_tier(indicator: Mapping[str, Any], tier: Tier) -> dict[str, Any]:
    key = indicator["inputs"][0]["key"]
    when = f"{key} {OPS[tier.op]} {percent_text(tier.percent)}"
    same = next((t for t in indicator.get("tiers") or [] if _tier_of(indicator, t) == tier), None)
    text = same["text"] if same else (
        f"{indicator['name']}{WORDS[tier.op]}{percent_text(tier.percent)}%，{tier.points}分")
    return {"star": tier.star, "when": when, "points": tier.points, "text": text}


def following_rollup(level_def: Mapping[str, Any], community_data: Mapping[str, Any]) -> dict[str, Any]:
    """Return a level's definition (scoring.resolve_level) whose roll-up indicators carry the community standard's
    coverage tiers, as `when` tiers the scoring engine reads (the seed's wording kept where the tier is the same)."""
    level = level_def["key"]
    tiers = rollup_tiers(community_data, level)
    if not tiers:
        return dict(level_def)
    following = copy.deepcopy(dict(level_def))
    for indicator in following["indicators"]:
        if indicator.get("source") == ROLLUP_SOURCE:
            indicator["tiers"] = [_when_tier(indicator, tier) for tier in tiers]
    return following
