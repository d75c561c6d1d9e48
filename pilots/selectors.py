"""Reads of the pilot programme: the pilots a user may see (by region, or as an assigned expert), the province's
queue, overdue stages, a pilot's reviews with their scores, who owns a stage, and every pilot's history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from communities import policy
from communities.models import ProvincePage, Role

from . import scores, workflow
from .actions import PilotAction
from .models import Adjustment, Application, Batch, Pilot, Review, SignOff, StageRecord
from .panel import Panel, panel_of
from .services.moves import acted_on, blocker, review_score
from .stages import OWNERS, REVIEW_OF_STAGE, TERMINAL, Owner, ReviewKind, Stage


def visible_applications(user) -> QuerySet[Application]:
    """Return the applications the user may see, as the policy scopes them (by region, or assigned)."""
    return policy.in_scope(user, PilotAction.VIEW_PILOTS, Application.objects.all(), "city__path").select_related(
        "batch", "city")


def visible_pilots(user, *, batch: Batch | None = None, stage: str | None = None) -> QuerySet[Pilot]:
    """Return the pilots the user may see, optionally of one batch and stage, by batch, level and region."""
    pilots = policy.in_scope(user, PilotAction.VIEW_PILOTS, Pilot.objects.all(), "region__path")
    if batch is not None:
        pilots = pilots.filter(application__batch=batch)
    if stage:
        pilots = pilots.filter(stage=stage)
    return pilots.select_related("application__batch", "application__city", "region")


def is_overdue(pilot: Pilot, today: datetime.date | None = None) -> bool:
    """Whether the pilot's stage is past its deadline."""
    today = today or timezone.localdate()
    return pilot.stage not in TERMINAL and pilot.deadline is not None and pilot.deadline < today


def overdue(pilots: QuerySet[Pilot]) -> QuerySet[Pilot]:
    """Narrow pilots to those past their stage's deadline."""
    return pilots.exclude(stage__in=TERMINAL).filter(deadline__lt=timezone.localdate())


def stage_counts(pilots: QuerySet[Pilot]) -> list[tuple[Stage, int]]:
    """Return how many of the pilots stand at each stage, in lifecycle order."""
    counts = {stage: 0 for stage in Stage}
    for value in pilots.values_list("stage", flat=True):
        counts[Stage(value)] += 1
    return list(counts.items())


@dataclass(frozen=True)
class ReviewView:
    review: Review
    score: scores.ReviewScore | None  # the self-assessed (自查) points
    panel: Panel | None  # the experts' own points, signatures and mean
    comparison: scores.Comparison | None  # self-assessed points against the application's (later reviews only)
    is_current: bool

    @property
    def signed_by(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.panel.members if m.signed) if self.panel else ()


def reviews_of(pilot: Pilot) -> list[ReviewView]:
    """Return the pilot's reviews in order, each with its scores and panel and, after the application, what
    changed."""
    reviews = list(pilot.reviews.select_related("snapshot", "pilot"))
    current = REVIEW_OF_STAGE.get(Stage(pilot.stage))
    scored = [(review, review_score(review)) for review in reviews]
    base = next((score for review, score in scored if review.kind == ReviewKind.APPLICATION), None)
    views = []
    for review, score in scored:
        comparison = scores.compare(base, score) if base and score and review.kind != ReviewKind.APPLICATION \
            else None
        views.append(ReviewView(review, score, panel_of(review), comparison,
                                review.kind == current and review.concluded_at is None))
    return views


@dataclass(frozen=True)
class ExpertReview:
    """A review on an expert's desk: the pilot, its deadline, how far the expert has got, whether they signed."""

    review: Review
    pilot: Pilot
    deadline: datetime.date | None
    overdue: bool
    judged: int
    indicators: int
    signed: bool
    waiting: bool  # the city has not submitted the 自查 yet


def expert_reviews(user) -> list[ExpertReview]:
    """Return the open reviews of the applications assigned to the user, the unsigned first, nearest deadline
    first (the expert's admin home)."""
    if not policy.may(user, PilotAction.SCORE_PILOT):
        return []
    pilots = policy.in_scope(user, PilotAction.SCORE_PILOT, Pilot.objects.all(), "region__path")
    rows = []
    for pilot in pilots.select_related("application__batch", "application__city", "region"):
        kind = REVIEW_OF_STAGE.get(Stage(pilot.stage))
        review = Review.objects.filter(pilot=pilot, kind=kind, concluded_at__isnull=True).select_related(
            "snapshot").first() if kind else None
        if review is None:
            continue
        total = len(scores.indicators(review.snapshot.data["document"])) if review.snapshot_id else 0
        judged = Adjustment.objects.filter(review=review, expert_id=user.pk).count()
        signed = SignOff.objects.filter(review=review, expert_id=user.pk).exists()
        rows.append(ExpertReview(review, pilot, pilot.deadline, is_overdue(pilot), judged, total, signed,
                                 review.snapshot_id is None))
    return sorted(rows, key=lambda r: (r.signed, r.deadline or datetime.date.max, r.pilot.pk))


def moves_for(user, pilot: Pilot) -> list[workflow.Move]:
    """Return the moves of the state table this user may make on the pilot now (the buttons)."""
    return [move for move in workflow.moves_from(pilot.stage) if policy.may(user, move.action, acted_on(move, pilot))]


@dataclass(frozen=True)
class MoveChoice:
    move: workflow.Move
    blocked: str  # why it would be refused now ("" when it can be made)


def move_choices(user, pilot: Pilot) -> list[MoveChoice]:
    """Return the user's moves on the pilot, each with what still stands in its way (shown beside the button)."""
    return [MoveChoice(move, blocker(pilot, move)) for move in moves_for(user, pilot)]


def owners_of(pilot: Pilot) -> list:
    """Return the active users who own the pilot's stage (the ones reminded of its deadline)."""
    users = get_user_model().objects.filter(is_active=True)
    owner = OWNERS[Stage(pilot.stage)]
    if owner == Owner.CITY:
        regions = {pilot.application.city_id, pilot.region_id}
        return list(users.filter(assignments__role=Role.BUREAU, assignments__region_id__in=regions).distinct())
    provincial = users.filter(assignments__role=Role.BUREAU,
                              assignments__region_id__in=ProvincePage.objects.values("pk"))
    if owner == Owner.EXPERTS:
        assigned = users.filter(pilot_assignments__application_id=pilot.application_id, pilot_expert__active=True)
        return list((provincial | assigned).distinct())
    return list(provincial.distinct()) if owner == Owner.PROVINCE else []


def history_rows(pilots: QuerySet[Pilot]) -> QuerySet[StageRecord]:
    """Return every move of these pilots, pilot by pilot, oldest first."""
    return (StageRecord.objects.filter(pilot__in=pilots).select_related(
        "pilot__application__batch", "pilot__application__city", "pilot__region", "by")
        .order_by("pilot__application__batch__year", "pilot_id", "at", "pk"))
