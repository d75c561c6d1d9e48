"""Say what it takes to gain: the next tier of one indicator, and the fewest moves to the next star."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .engine import (
    LevelScore,
    Values,
    average,
    bands_of,
    comparison_holds,
    derived_args,
    held_tier,
    input_spec,
)
from .grammar import Comparison, Conjunction, parse_when
from .values import Value


@dataclass(frozen=True)
class Requirement:
    """A comparison that does not hold yet: `key op threshold` (a level names the option needed)."""

    key: str
    label: str
    current: Value | None
    op: str
    threshold: Decimal | bool | str
    current_label: str | None = None
    threshold_label: str | None = None
    args: tuple[str, ...] = ()  # the averaged inputs, when `key` is a derived average


@dataclass(frozen=True)
class TierHint:
    """What must change for an indicator to reach the tier above the one it holds."""

    number: int
    from_points: int
    from_star: int | None
    to_points: int
    to_star: int
    requirements: tuple[Requirement, ...]

    @property
    def gain(self) -> int:
        """Return the points gained by reaching the tier."""
        return self.to_points - self.from_points


@dataclass(frozen=True)
class Move:
    """Raise one indicator from its current points to one of its higher tiers."""

    indicator: int
    from_points: int
    to_points: int
    to_star: int


@dataclass(frozen=True)
class StarPlan:
    """The next band's star, the points still needed, and the moves that reach it (None: unreachable)."""

    star: int
    points_needed: int
    plan: tuple[Move, ...] | None

    def as_dict(self) -> dict[str, Any]:
        """Return the `next_star` JSON shape of the assessment output."""
        plan = None
        if self.plan is not None:
            plan = [
                {"indicator": m.indicator, "from_points": m.from_points, "to_points": m.to_points} for m in self.plan
            ]
        return {"star": self.star, "points_needed": self.points_needed, "plan": plan}


def _option_label(spec: Mapping[str, Any], key: Any) -> str | None:
    return next((option["label"] for option in spec["options"] if option["key"] == key), None)


def _requirement(indicator: Mapping[str, Any], comparison: Comparison, values: Values) -> Requirement:
    args = derived_args(indicator, comparison.key)
    if args is not None:
        labels = "、".join(input_spec(indicator, arg)["label"] for arg in args)
        return Requirement(
            key=comparison.key,
            label=f"{labels}的平均值",
            current=average(indicator, comparison.key, values),
            op=comparison.op,
            threshold=comparison.value,
            args=args,
        )
    spec = input_spec(indicator, comparison.key)
    current = values.get(comparison.key)
    level = spec["kind"] == "level"
    return Requirement(
        key=comparison.key,
        label=spec["label"],
        current=current,
        op=comparison.op,
        threshold=comparison.value,
        current_label=_option_label(spec, current) if level else None,
        threshold_label=_option_label(spec, comparison.value) if level else None,
    )


def _unmet(indicator: Mapping[str, Any], alternative: Conjunction, values: Values) -> tuple[Comparison, ...]:
    return tuple(c for c in alternative.comparisons if not comparison_holds(indicator, c, values))


def next_tier_hint(indicator: Mapping[str, Any], values: Values) -> TierHint | None:
    """Return what must change to reach the tier above the one held; None at the top or for a deduction."""
    if indicator.get("deduction"):
        return None
    held = held_tier(indicator, values)
    from_points = held["points"] if held else 0
    higher = [tier for tier in indicator["tiers"] if tier["points"] > from_points]
    if not higher:
        return None
    target = min(higher, key=lambda tier: tier["points"])
    unmet = [_unmet(indicator, alt, values) for alt in parse_when(target["when"]).alternatives]
    # Fewest inputs to change first; then fewest comparisons; then the first alternative written.
    fewest = min(unmet, key=lambda comps: (len({c.key for c in comps}), len(comps)))
    return TierHint(
        number=indicator["number"],
        from_points=from_points,
        from_star=held["star"] if held else None,
        to_points=target["points"],
        to_star=target["star"],
        requirements=tuple(_requirement(indicator, c, values) for c in fewest),
    )


# A plan while it is being built: ((indicator, from_points, to_points, to_star), ...), sorted by indicator.
_Plan = tuple[tuple[int, int, int, int], ...]


def _choices(level_def: Mapping[str, Any], scores: LevelScore) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Return (indicator, from_points, [(to_points, to_star), ...]) for every indicator that can gain."""
    choices = []
    for indicator in sorted(level_def["indicators"], key=lambda ind: ind["number"]):
        if indicator.get("deduction"):
            continue
        current = scores.indicator(indicator["number"]).points
        higher = sorted((t["points"], t["star"]) for t in indicator["tiers"] if t["points"] > current)
        if higher:
            choices.append((indicator["number"], current, higher))
    return choices


def _fewest_moves(choices: list[tuple[int, int, list[tuple[int, int]]]], needed: int) -> int | None:
    """Return the fewest indicators whose best tiers together gain `needed` points, or None."""
    best_gains = sorted((higher[-1][0] - current for _, current, higher in choices), reverse=True)
    reached = 0
    for count, gain in enumerate(best_gains, start=1):
        reached += gain
        if reached >= needed:
            return count
    return None


def _better(plan: _Plan, than: _Plan | None) -> bool:
    return than is None or plan < than


def cheapest_plan(choices: list[tuple[int, int, list[tuple[int, int]]]], needed: int) -> tuple[Move, ...] | None:
    """Return the moves gaining >= `needed` with the fewest indicators, then the fewest points beyond.

    The fewest indicators k is exact and cheap: k indicators gain at most the k largest best-tier gains.
    A DP over (moves so far, points so far) then finds, among k-move plans, the least overshoot; a state
    is only extended while its points are below `needed` (a plan that already reaches it never needs one
    more indicator), so points stay below needed + the largest gain. Remaining ties go to the plan whose
    (indicator, to_points) list is lexicographically smallest, i.e. the lowest-numbered indicators.
    Complexity: O(n * k * needed * t) time and O(k * needed) plans of at most k moves in memory,
    for n indicators with up to t higher tiers each (here n <= 52, t <= 5, needed <= 500).
    """
    moves = _fewest_moves(choices, needed)
    if moves is None:
        return None
    # open_[j] maps points gained (< needed) by j moves to the best plan reaching exactly that.
    open_: list[dict[int, _Plan]] = [{0: ()}] + [{} for _ in range(moves)]
    best: tuple[int, _Plan] | None = None
    for number, current, higher in choices:
        for j in range(moves - 1, -1, -1):  # descending, so each indicator is used at most once
            for gained, plan in list(open_[j].items()):
                for to_points, to_star in higher:
                    total = gained + to_points - current
                    extended = (*plan, (number, current, to_points, to_star))
                    if total >= needed:
                        if best is None or (total - needed, extended) < best:
                            best = (total - needed, extended)
                    elif j + 1 < moves and _better(extended, open_[j + 1].get(total)):
                        open_[j + 1][total] = extended
    assert best is not None, "the fewest-moves bound guarantees a plan"
    return tuple(Move(*move) for move in best[1])


def next_star_plan(level_def: Mapping[str, Any], scores: LevelScore) -> StarPlan | None:
    """Return the fewest indicator moves that reach the next band (see cheapest_plan); None at the top."""
    bands = bands_of(level_def)
    above = [band for band in bands if scores.star is None or band.star > scores.star]
    if not above:
        return None
    target = min(above, key=lambda band: band.min)
    needed = target.min - scores.total
    return StarPlan(star=target.star, points_needed=needed, plan=cheapest_plan(_choices(level_def, scores), needed))

