"""Reads of what is public: a batch's pilots with their outcomes and 通报, the index's listings, a highlight's
photos; and the admin's lists (pilots awaiting a 通报, rounds and their 名单, highlights one writes or approves)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from wagtail.models import Page

from communities import policy
from pilots.models import Batch, Pilot, PilotListPage, StageRecord
from pilots.stages import Stage, stars
from standards.models import Round

from .actions import PublicationAction
from .models import HighlightIndexPage, HighlightPage, HighlightPhoto, RevocationNotice, SmartListPage
from .outcomes import Outcome, Record, outcome_of

# --- the batch page -------------------------------------------------------------------------------------------


def live_batch_page(year: int) -> PilotListPage | None:
    """Return the live public page of the batch of `year`, once its list is published."""
    return (PilotListPage.objects.live().public().select_related("batch")
            .filter(batch__year=year, batch__published_at__isnull=False).first())


@dataclass(frozen=True)
class PilotOutcome:
    """A listed pilot as the public sees it now: where, which star it pilots, and what came of it."""

    pk: int
    city: str
    region: str
    level: str
    level_label: str
    target_star: int
    outcome: Outcome

    @property
    def target(self) -> str:
        return gettext("%(star)s试点") % {"star": stars(self.target_star)}


def listed_pilots(batch: Batch) -> QuerySet[Pilot]:
    """Return the pilots of the batch that were on its published list (they started on publication)."""
    return (Pilot.objects.filter(application__batch=batch, started_on__isnull=False)
            .select_related("application__city", "region")
            .order_by("level", "application__city__code", "region__path"))


def _records(pilots: list[Pilot]) -> dict[int, list[Record]]:
    rows = (StageRecord.objects.filter(pilot__in=pilots).order_by("at", "pk")
            .values_list("pilot_id", "source", "target", "at", "deadline"))
    records: dict[int, list[Record]] = defaultdict(list)
    for pilot_id, source, target, at, deadline in rows:
        records[pilot_id].append(Record(source, target, at, deadline))
    return records


def batch_outcomes(batch: Batch) -> list[PilotOutcome]:
    """Return the batch's listed pilots, in the published list's order, each with its public outcome (3 queries)."""
    pilots = list(listed_pilots(batch))
    records = _records(pilots)
    notices = {pilot_id: (pk, at) for pilot_id, pk, at in RevocationNotice.objects.filter(pilot__in=pilots)
               .values_list("pilot_id", "pk", "published_at")}
    return [PilotOutcome(p.pk, p.application.city.title, p.region.title, p.level, str(p.get_level_display()),
                         p.target_star,
                         outcome_of(p.stage, records[p.pk], granted_star=p.granted_star, notice=notices.get(p.pk)))
            for p in pilots]


def batch_notices(batch: Batch) -> QuerySet[RevocationNotice]:
    """Return the batch's published 通报, oldest first."""
    return RevocationNotice.objects.filter(pilot__application__batch=batch).order_by("published_at", "pk")


# --- the index ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmartListRound:
    """A round's published 名单: the newest version and the earlier ones (still reachable)."""

    round: Round
    latest: SmartListPage
    earlier: list[SmartListPage]


@dataclass(frozen=True)
class HighlightEntry:
    page: HighlightPage
    region: str


@dataclass(frozen=True)
class Listing:
    batches: list[PilotListPage]
    smart_lists: list[SmartListRound]
    highlights: list[HighlightEntry]


def smart_list_versions(round_code: str) -> list[SmartListPage]:
    """Return the live versions of a round's 名单, newest first."""
    return list(SmartListPage.objects.live().public().filter(round__code=round_code).select_related("round")
                .defer("data").order_by("-version"))


def _smart_lists() -> list[SmartListRound]:
    by_round: dict[int, list[SmartListPage]] = defaultdict(list)
    pages = SmartListPage.objects.live().public().select_related("round").defer("data")
    for page in pages.order_by("-round__opened_at", "-version"):
        by_round[page.round_id].append(page)
    return [SmartListRound(versions[0].round, versions[0], versions[1:]) for versions in by_round.values()]


def live_highlights() -> QuerySet[HighlightPage]:
    """Return the approved (live) highlight reports, newest first."""
    return HighlightPage.objects.live().public().order_by("-first_published_at", "-pk")


def public_listing() -> Listing:
    """Return everything the public index lists."""
    batches = list(PilotListPage.objects.live().public().filter(batch__published_at__isnull=False)
                   .select_related("batch").order_by("-batch__year"))
    highlights = list(live_highlights())
    regions = region_names(highlights)
    return Listing(batches, _smart_lists(), [HighlightEntry(page, regions[page.pk]) for page in highlights])


def region_names(pages: list[HighlightPage]) -> dict[int, str]:
    """Return {highlight id: its region's name} in one query."""
    parents = {page.pk: page.path[: -Page.steplen] for page in pages}
    indexes = dict(HighlightIndexPage.objects.filter(path__in=set(parents.values()))
                   .values_list("path", "region__title"))
    return {pk: indexes.get(path, "") for pk, path in parents.items()}


# --- a highlight's photos --------------------------------------------------------------------------------------


def highlight_photos(page: HighlightPage, *, preview: bool = False) -> list[HighlightPhoto]:
    """Return the photos a highlight shows: all of them in a preview, else those added before it was last
    published (the ones the province approved with it)."""
    photos = HighlightPhoto.objects.filter(page=page, removed_at__isnull=True)
    if not preview:
        if page.last_published_at is None:
            return []
        photos = photos.filter(added_at__lte=page.last_published_at)
    return list(photos.order_by("added_at", "pk"))


def is_public_photo(photo: HighlightPhoto) -> bool:
    """Whether anyone may see the photo: its report is live and public and it was approved with it."""
    page = photo.page
    return (photo.removed_at is None and page.live and page.last_published_at is not None
            and photo.added_at <= page.last_published_at
            and not page.get_view_restrictions().exists())


def photo_rows(page: HighlightPage) -> list[HighlightPhoto]:
    """Return the report's current photos for its editors (not yet approved ones too)."""
    return list(HighlightPhoto.objects.filter(page=page, removed_at__isnull=True).order_by("added_at", "pk"))


# --- the admin's lists -----------------------------------------------------------------------------------------


def revoked_pilots() -> list[Pilot]:
    """Return every listed pilot whose subsidy was withdrawn, with its 通报 when published, newest batch first."""
    return list(Pilot.objects.filter(stage=Stage.REVOKED, started_on__isnull=False)
                .select_related("application__batch", "application__city", "region", "revocation_notice")
                .order_by("-application__batch__year", "level", "region__path"))


def revocation_reason(pilot: Pilot) -> str:
    """Return the internal reason the province recorded with the withdrawal (shown to the province only)."""
    record = pilot.history.filter(target=Stage.REVOKED).order_by("-at", "-pk").first()
    return record.reason if record else ""


def rounds_with_lists() -> list[tuple[Round, list[SmartListPage]]]:
    """Return every round with its published 名单 versions (live or not), newest round first."""
    versions = SmartListPage.objects.defer("data").order_by("-version")
    rounds = Round.objects.order_by("-opened_at")
    by_round: dict[int, list[SmartListPage]] = defaultdict(list)
    for page in versions:
        by_round[page.round_id].append(page)
    return [(round_, by_round.get(round_.pk, [])) for round_ in rounds]


def highlight_indexes(user) -> QuerySet[HighlightIndexPage]:
    """Return the highlight indexes of the regions where the user may write."""
    condition = policy.scope_q(user, PublicationAction.WRITE_HIGHLIGHT, "region__path")
    return HighlightIndexPage.objects.filter(condition).select_related("region")


def highlights_for(user) -> QuerySet[HighlightPage]:
    """Return the highlight reports the user writes (their regions) or approves (all), newest first."""
    if policy.may(user, PublicationAction.APPROVE_HIGHLIGHT, policy.EVERYWHERE):
        pages = HighlightPage.objects.all()
    else:
        paths = list(highlight_indexes(user).values_list("path", flat=True))
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(path__startswith=path)
        pages = HighlightPage.objects.filter(condition)
    return pages.order_by("-latest_revision_created_at", "-pk")
