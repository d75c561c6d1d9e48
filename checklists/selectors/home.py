"""The worker's home page: the communities they serve in the open round, each with its progress, returned
items (with the verifier's reason) first."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from communities.models import CommunityPage
from standards.models import Round
from standards.rounds import open_round

from ..models import ItemResult, Status
from .mobile import progress_by_community
from .offline import PageContext, home_etag, home_rows, served_communities


@dataclass(frozen=True)
class ReturnedItem:
    number: int
    name: str
    reason: str
    url: str


@dataclass
class CommunityProgress:
    community: CommunityPage
    url: str
    counts: dict
    returned: list[ReturnedItem]

    @property
    def percent_done(self) -> int:
        """Return the share of complete items as a whole percentage, rounded down (for the bar's width)."""
        return self.counts["done"] * 100 // self.counts["total"] if self.counts["total"] else 0


@dataclass
class WorkerHome:
    round: Round | None
    communities: list[CommunityProgress]
    etag: str


def worker_home(request) -> WorkerHome:
    """Return the logged-in user's communities for the open round, those with returned items first."""
    round_ = open_round()
    communities = list(served_communities(request.user)) if round_ else []
    ids = [c.pk for c in communities]
    rows = ItemResult.objects.filter(round=round_, community_id__in=ids) if round_ else ItemResult.objects.none()
    stamps: dict[int, dict[int, object]] = {}
    returned: dict[int, list[ReturnedItem]] = {}
    fields = ("community_id", "community__code", "item_number", "updated_at", "status", "return_reason")
    for community_id, code, number, updated, status, reason in rows.order_by("item_number").values_list(*fields):
        stamps.setdefault(community_id, {})[number] = updated
        if status == Status.RETURNED:
            name = round_.standard.item(number)["name"]
            url = reverse("mobile:item", args=[code, number])
            returned.setdefault(community_id, []).append(ReturnedItem(number, name, reason, url))
    total = len(round_.standard.item_numbers) if round_ else 0
    counts = progress_by_community(round_=round_, community_ids=ids, total=total) if round_ else {}
    views = [
        CommunityProgress(c, reverse("mobile:checklist", args=[c.code]), counts[c.pk], returned.get(c.pk, []))
        for c in communities
    ]
    views.sort(key=lambda v: (not v.returned, v.community.code))
    etag = home_etag(PageContext.of(request, round_), home_rows(communities, stamps))
    return WorkerHome(round_, views, etag)
