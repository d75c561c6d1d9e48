"""What the review page shows for each indicator (plain data for the template): the standard's tier texts, the
applicant's values with their source and basis, the community drill-down and evidence links, the note, the
self-assessed points, the viewer's own points, and the other experts' points once the viewer may see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from . import scores
from .models import Review
from .panel import Panel, marks_of


@dataclass(frozen=True)
class OtherMark:
    name: str
    points: int
    reason: str


@dataclass
class Card:
    ind: dict[str, Any]  # the indicator as the snapshot froze it (assessments.document.indicator_doc)
    drill_url: str  # the communities behind a computed value ("" when not computed)
    evidence: list[dict[str, Any]]
    own: tuple[int, str] | None  # the viewer's own points and reason (None: not judged, or not an expert)
    others: list[OtherMark]
    differs: bool  # signed experts lie more than one tier apart here
    points_field: Any = None
    reason_field: Any = None

    @property
    def number(self) -> int:
        return self.ind["number"]


@dataclass
class Category:
    label: str
    cards: list[Card] = field(default_factory=list)


def _evidence(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**f, "url": reverse("assessments:file", args=[f["id"]])} for f in files]


def categories(review: Review, panel: Panel | None, viewer, form=None) -> list[Category]:
    """Return the indicators by category as cards for `viewer` (the form's fields attached when given)."""
    if review.snapshot_id is None:
        return []
    marks = marks_of(review)
    own = marks.get(viewer.pk, {})
    reveal = panel is not None and panel.reveals_to(viewer)
    signed = [m for m in panel.members if m.assigned and m.signed and m.user.pk != viewer.pk] \
        if panel and reveal else []
    differing = {d.number for d in panel.differences} if panel and reveal else set()
    groups: dict[str, Category] = {}
    for ind in scores.indicators(review.snapshot.data["document"]):
        number = ind["number"]
        card = Card(
            ind=ind,
            drill_url=reverse("pilots:review_communities", args=[review.pk, number]) if ind.get("community") else "",
            evidence=_evidence(ind.get("evidence") or []), own=own.get(number),
            others=[OtherMark(m.name, *marks.get(m.user.pk, {}).get(number, (ind["points"], ""))) for m in signed],
            differs=number in differing)
        if form is not None:
            card.points_field, card.reason_field = form[f"p{number}"], form[f"r{number}"]
        groups.setdefault(ind["category_label"], Category(ind["category_label"])).cards.append(card)
    return list(groups.values())


def initial(review: Review, viewer) -> dict[str, Any]:
    """Return the review form's initial data: the viewer's saved points and reasons."""
    data: dict[str, Any] = {}
    for number, (points, reason) in marks_of(review).get(viewer.pk, {}).items():
        data[f"p{number}"], data[f"r{number}"] = points, reason
    return data
