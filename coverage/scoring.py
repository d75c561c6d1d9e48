"""Coverage arithmetic for the city and county roll-up of smart communities.

Pure and exact: coverage is a Fraction, tier conditions are compared with
integer/Fraction arithmetic, and only the displayed percentage is rounded.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

_COMPARE: dict[str, Callable[[Fraction, Fraction], bool]] = {"ge": operator.ge, "gt": operator.gt}


def _check_counts(smart: int, total: int) -> None:
    """Reject counts that cannot describe a set of communities."""
    if smart < 0 or total < 0 or smart > total:
        raise ValueError(f"invalid counts: {smart} smart of {total} communities")


def _threshold(tier: dict) -> Fraction:
    """Read a tier's percentage exactly (YAML may give an int or a float such as 12.5)."""
    raw = tier["percent"]
    if isinstance(raw, int | Fraction) and not isinstance(raw, bool):
        return Fraction(raw)
    return Fraction(Decimal(str(raw)))


def _compare(tier: dict) -> Callable[[Fraction, Fraction], bool]:
    """Return the comparison for a tier's op."""
    op = tier["op"]
    if op not in _COMPARE:
        raise ValueError(f"unsupported tier op {op!r}")
    return _COMPARE[op]


def _rank(tier: dict) -> tuple[int, int]:
    """Order tiers by points, then star."""
    return int(tier["points"]), int(tier.get("star") or 0)


def coverage_fraction(smart: int, total: int) -> Fraction:
    """Return smart / total exactly; 0 when there are no communities."""
    _check_counts(smart, total)
    return Fraction(smart, total) if total else Fraction(0)


def percent_display(fr: Fraction) -> Decimal:
    """Return ``fr`` as a percentage rounded half-up to 2 places, e.g. 1/3 -> 33.33."""
    scaled = abs(fr) * 10_000
    units = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    sign = -1 if fr < 0 and units else 1
    return Decimal(sign * units).scaleb(-2)


def tier_holds(tier: dict, smart: int, total: int) -> bool:
    """Return whether smart/total meets a tier's condition; never with no communities."""
    _check_counts(smart, total)
    if total == 0:
        return False
    return _compare(tier)(Fraction(smart * 100), _threshold(tier) * total)


def held_tier(tiers: Sequence[dict], smart: int, total: int) -> dict | None:
    """Return the highest tier (by points) whose condition holds, or None."""
    holding = [tier for tier in tiers if tier_holds(tier, smart, total)]
    return max(holding, key=_rank, default=None)


def _smallest_smart(tier: dict, total: int) -> int | None:
    """Return the fewest smart communities out of ``total`` meeting a tier, or None."""
    _compare(tier)  # reject an unknown op before the formula silently treats it as gt
    if total == 0:
        return None
    bound = _threshold(tier) * total / 100
    # ge needs s >= bound; gt needs s > bound, i.e. the next integer above floor(bound).
    needed = math.ceil(bound) if tier["op"] == "ge" else math.floor(bound) + 1
    needed = max(needed, 0)
    return needed if needed <= total else None


def next_tier(tiers: Sequence[dict], smart: int, total: int) -> dict | None:
    """Return the next tier above the held one and how many more smart communities reach it."""
    held = held_tier(tiers, smart, total)
    above = [tier for tier in tiers if held is None or _rank(tier) > _rank(held)]
    if not above:
        return None
    target = min(above, key=_rank)
    reach = _smallest_smart(target, total)
    needed = None if reach is None else max(reach - smart, 0)
    return {"star": target.get("star"), "points": int(target["points"]), "smart_communities_needed": needed}


def score(tiers: Sequence[dict], smart: int, total: int) -> dict[str, Any]:
    """Return coverage percent, points, star and next tier for one city or county."""
    held = held_tier(tiers, smart, total)
    return {
        "coverage_percent": percent_display(coverage_fraction(smart, total)),
        "points": int(held["points"]) if held else 0,
        "star": held.get("star") if held else None,
        "next_tier": next_tier(tiers, smart, total),
    }
