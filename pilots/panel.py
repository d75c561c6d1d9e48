"""A review's panel: the experts assigned to the application, each scoring on their own, and what the panel
concludes. The panel's result is the mean of the signed experts' totals (an exact Fraction), its star the band
that mean falls in; it is complete when at least PILOT_MIN_EXPERTS experts are assigned and every one of them has
signed. Signatures of experts no longer assigned stay on record and do not count."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from standards.scoring import round_half_up

from . import scores
from .models import Adjustment, ExpertAssignment, Review, SignOff


def min_experts() -> int:
    return max(1, int(getattr(settings, "PILOT_MIN_EXPERTS", 3)))


def shown_points(value: Fraction | int | None) -> str:
    """Points as the house shows a computed figure: two decimals, rounded half-up ("312.33")."""
    return "" if value is None else str(round_half_up(Fraction(value)))


@dataclass(frozen=True)
class Member:
    user: Any
    name: str
    organisation: str
    assigned: bool
    judged: int  # indicators this expert has given points to
    signoff: SignOff | None
    score: scores.ReviewScore | None  # their points (indicators not yet judged at the self-assessed points)

    @property
    def signed(self) -> bool:
        return self.signoff is not None


@dataclass(frozen=True)
class Difference:
    """An indicator on which signed experts lie more than one tier apart."""

    number: int
    name: str
    points: tuple[tuple[str, int], ...]  # (expert's name, points), in panel order
    tiers_apart: int


@dataclass(frozen=True)
class Panel:
    members: tuple[Member, ...]
    needed: int
    indicators: int
    totals: tuple[int, ...]  # the signed totals that count (assigned experts only)
    mean: Fraction | None
    star: int | None
    differences: tuple[Difference, ...]

    @property
    def assigned(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.assigned)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def missing(self) -> str:
        """Why the panel is not complete yet ("" when it is)."""
        assigned = self.assigned
        if len(assigned) < self.needed:
            return _("专家组应至少有 %(needed)s 位专家，目前指派 %(n)s 位") % {"needed": self.needed,
                                                                     "n": len(assigned)}
        waiting = [m.name for m in assigned if not m.signed]
        return _("尚未签字的专家：%(names)s") % {"names": "、".join(waiting)} if waiting else ""

    @property
    def spread(self) -> int | None:
        return max(self.totals) - min(self.totals) if self.totals else None

    @property
    def mean_text(self) -> str:
        return shown_points(self.mean)

    def member(self, user) -> Member | None:
        return next((m for m in self.members if m.user.pk == getattr(user, "pk", None)), None)

    def reveals_to(self, user) -> bool:
        """Whether `user` may see the experts' points: anyone not scoring this review, and an expert of the panel
        only once they have signed (each scores without seeing the others')."""
        member = self.member(user)
        return member is None or member.signed or not member.assigned and not member.judged


def _tier(indicator: scores.Row, points: int) -> int:
    # Tiers are the indicator's allowed points in order; the deduction counts each point as a step.
    return indicator.allowed.index(points) if indicator.allowed and points in indicator.allowed else points


def differences(base: scores.ReviewScore, signed: list[tuple[str, scores.ReviewScore]]) -> tuple[Difference, ...]:
    """Return the indicators where two signed experts lie more than one tier apart."""
    found = []
    for row in base.rows:
        given = [(name, score.row(row.number).expert_points) for name, score in signed]
        steps = [_tier(row, points) for _, points in given]
        if len(steps) > 1 and max(steps) - min(steps) > 1:
            found.append(Difference(row.number, row.name, tuple(given), max(steps) - min(steps)))
    return tuple(found)


def marks_of(review: Review) -> dict[int, dict[int, tuple[int, str]]]:
    """Return {expert id: {number: (points, reason)}} for the review."""
    marks: dict[int, dict[int, tuple[int, str]]] = {}
    for mark in Adjustment.objects.filter(review=review).order_by("number"):
        marks.setdefault(mark.expert_id, {})[mark.number] = (mark.points, mark.reason)
    return marks


def panel_of(review: Review) -> Panel | None:
    """Return the review's panel (None before the city's 自查 gives the experts something to score)."""
    if review.snapshot_id is None:
        return None
    document = review.snapshot.data["document"]
    base = scores.review_score(document, {})
    assignments = ExpertAssignment.objects.filter(application_id=review.pilot.application_id).select_related(
        "expert__pilot_expert").order_by("assigned_at", "pk")
    signoffs = {s.expert_id: s for s in SignOff.objects.filter(review=review).select_related("expert__pilot_expert")}
    marks = marks_of(review)
    users = [(a.expert, True) for a in assignments]
    assigned_ids = {u.pk for u, _ in users}
    users += [(s.expert, False) for s in signoffs.values() if s.expert_id not in assigned_ids]
    members = []
    for user, assigned in users:
        entry = getattr(user, "pilot_expert", None)
        own = marks.get(user.pk, {})
        members.append(Member(user, entry.name if entry else user.get_username(),
                              entry.organisation if entry else "", assigned, len(own), signoffs.get(user.pk),
                              scores.review_score(document, own)))
    counted = [m for m in members if m.assigned and m.signed]
    totals = tuple(m.signoff.total for m in counted)
    mean = Fraction(sum(totals), len(totals)) if totals else None
    return Panel(tuple(members), min_experts(), len(base.rows), totals, mean,
                 scores.star_of(document, mean) if mean is not None else None,
                 differences(base, [(m.name, m.score) for m in counted]))
