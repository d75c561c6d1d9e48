"""Read queries for district review: the queue scoped to a user, its counts, the oldest waiting item, history."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from checklists.actions import ChecklistAction
from checklists.models import ChecklistLogEntry, Evidence, ItemResult, Status
from communities import policy
from communities.counting import live_q
from communities.models import CommunityPage
from standards.models import Round
from standards.rounds import open_round

# The queue shows what needs a decision first, then what came back, then what is done.
QUEUE_RANK = Case(
    When(status=Status.SUBMITTED, then=Value(0)),
    When(status=Status.RETURNED, then=Value(1)),
    When(status=Status.APPROVED, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)

FLAG_OLD, FLAG_DUPLICATE, FLAG_FAILING = "old_photo", "duplicate_photo", "failing_rule"
FLAGS = {FLAG_OLD: _("照片拍摄早于本轮"), FLAG_DUPLICATE: _("照片与其他社区重复"), FLAG_FAILING: _("规则未达标")}


def review_round() -> Round | None:
    """Return the round the review screens show by default: the open one, else the newest."""
    return open_round() or Round.objects.select_related("standard").order_by("-opened_at").first()


def reviewable_results(user) -> QuerySet[ItemResult]:
    """Return the item results in communities the user verifies or oversees (every one for admins)."""
    return policy.in_scope(user, ChecklistAction.REVIEW, ItemResult.objects.all(), "community__path")


def _live_photos(**flags) -> QuerySet[Evidence]:
    return Evidence.objects.filter(result=OuterRef("pk"), removed_at__isnull=True, **flags)


def with_flags(results: QuerySet[ItemResult]) -> QuerySet[ItemResult]:
    """Annotate each result with its old-photo and duplicate-photo flags and its live photo count."""
    photo_count = (
        Evidence.objects.filter(result=OuterRef("pk"), removed_at__isnull=True)
        .order_by().values("result").annotate(n=Count("pk")).values("n")
    )
    return results.annotate(
        has_old_photo=Exists(_live_photos(flag_old=True)),
        has_duplicate_photo=Exists(_live_photos(flag_duplicate=True)),
        photo_count=photo_count,
    )


def flag_condition(flag: str) -> Q:
    """Return the filter for one flag; call on a queryset annotated by with_flags."""
    return {
        FLAG_OLD: Q(has_old_photo=True),
        FLAG_DUPLICATE: Q(has_duplicate_photo=True),
        FLAG_FAILING: Q(rules_pass=False),
    }[flag]


def review_queue(user) -> QuerySet[ItemResult]:
    """Return the user's review queue: flagged, ranked (waiting first), with what the listing shows."""
    return (
        with_flags(reviewable_results(user))
        .select_related("community", "community__street", "round")
        .annotate(queue_rank=QUEUE_RANK)
        .order_by("queue_rank", F("submitted_at").asc(nulls_last=True), "community__code", "item_number")
    )


def open_work(user) -> QuerySet[ItemResult]:
    """Return the queue as the listings show it: without retired communities, which have left every listing of
    work to do (their items stay readable one by one, through reviewable_result)."""
    return review_queue(user).filter(live_q("community__"))


def reviewable_result(user, pk: int) -> ItemResult | None:
    """Return one result if the user may see it in the review screens, else None."""
    return review_queue(user).filter(pk=pk).first()


def queue_counts(user, round_: Round | None) -> dict[str, int]:
    """Count the user's results per status in the round, and the waiting ones carrying each flag."""
    counts = {status: 0 for status in Status.values}
    if round_ is None:
        return {**counts, **dict.fromkeys(FLAGS, 0)}
    results = reviewable_results(user).filter(live_q("community__"), round=round_)
    for row in results.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    waiting = with_flags(results.filter(status=Status.SUBMITTED))
    flagged = waiting.aggregate(**{
        flag: Count("pk", filter=flag_condition(flag)) for flag in FLAGS
    })
    return {**counts, **flagged}


def oldest_waiting(user, round_: Round | None) -> ItemResult | None:
    """Return the submitted item that has waited longest for a decision."""
    if round_ is None:
        return None
    return (
        reviewable_results(user).filter(live_q("community__"), round=round_, status=Status.SUBMITTED)
        .select_related("community").order_by(F("submitted_at").asc(nulls_last=True), "pk").first()
    )


def submitted_in_community(round_: Round, community) -> QuerySet[ItemResult]:
    """Return the community's items waiting for a decision in the round."""
    return ItemResult.objects.filter(round=round_, community=community, status=Status.SUBMITTED)


def result_history(result: ItemResult) -> QuerySet[ChecklistLogEntry]:
    """Return every audit entry of one item result, oldest first."""
    return ChecklistLogEntry.objects.for_instance(result).select_related("user").order_by("timestamp", "pk")


def live_photos(result: ItemResult) -> QuerySet[Evidence]:
    """Return the photos currently attached to a result."""
    return result.photos.filter(removed_at__isnull=True).order_by("uploaded_at", "pk")


@dataclass(frozen=True)
class DuplicateSource:
    """Another community's evidence a photo repeats, as this viewer may be told of it."""

    community: str  # "春晖社区（379902001002）", or "" when the viewer may not review that community
    item: int
    same_file: bool


def duplicate_sources(user, photos) -> dict[int, list[DuplicateSource]]:
    """Return, per photo id, where else its picture is evidence; another community is named only to a viewer who
    may review it (a verifier must not learn another city's communities from a duplicate flag)."""
    found = {photo.pk: photo.duplicate_of or [] for photo in photos}
    codes = {d.get("community") for sources in found.values() for d in sources}
    communities = CommunityPage.objects.filter(code__in=codes).only("title", "code", "path", "depth")
    named = {c.code: f"{c.title}（{c.code}）" for c in communities if policy.may(user, ChecklistAction.REVIEW, c)}
    return {
        pk: [DuplicateSource(named.get(d.get("community"), ""), d.get("item"), d.get("kind") == "same_file")
             for d in sources]
        for pk, sources in found.items()
    }


def rounds_overview(user) -> QuerySet[Round]:
    """Return every round with the counts of results the user may review, newest first (the dashboard panel)."""
    mine = policy.scope_q(user, ChecklistAction.REVIEW, "results__community__path") & live_q("results__community__")
    return Round.objects.select_related("standard").annotate(
        submitted=Count("results", filter=mine & Q(results__status=Status.SUBMITTED)),
        approved=Count("results", filter=mine & Q(results__status=Status.APPROVED)),
    ).order_by("-opened_at")
