"""Read the audit trail as flat events (the `audit_log` export): item events, round closing and reopening, and
every other entry on Wagtail's log models (rounds, standard versions, roles, the register, region edits, logins).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

from audit.actors import actor_name
from communities.models import CommunityPage
from standards.models import Round, RoundStatus
from standards.rounds import ROUND_CLOSED, ROUND_REOPENED

from ..audit import PREFIX
from ..models import ChecklistLogEntry

COLUMNS = ["at", "user", "action", "community", "round", "item", "from_status", "to_status", "reason", "via"]
ROUND_ACTIONS = {
    ROUND_CLOSED: (RoundStatus.OPEN, RoundStatus.CLOSED),
    ROUND_REOPENED: (RoundStatus.CLOSED, RoundStatus.OPEN),
}


def _item_events(community: str | None, round_code: str | None, since: datetime | None) -> Iterator[dict]:
    entries = ChecklistLogEntry.objects.select_related("user").order_by("timestamp", "pk")
    if community:
        entries = entries.filter(community_code=community)
    if round_code:
        entries = entries.filter(round_code=round_code)
    if since:
        entries = entries.filter(timestamp__gte=since)
    for entry in entries.iterator(chunk_size=2000):
        yield {
            "at": entry.timestamp, "user": actor_name(entry), "action": entry.action.removeprefix(PREFIX),
            "community": entry.community_code, "round": entry.round_code, "item": entry.item_number,
            "from_status": entry.from_status, "to_status": entry.to_status, "reason": entry.reason,
            "via": entry.via,
        }


def _round_events(round_code: str | None, since: datetime | None) -> Iterator[dict]:
    # Round decisions are logged on the Round itself (Wagtail's generic log model), not on an item.
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Round), action__in=list(ROUND_ACTIONS)
    ).select_related("user").order_by("timestamp", "pk")
    if round_code:
        entries = entries.filter(data__round=round_code)
    if since:
        entries = entries.filter(timestamp__gte=since)
    for entry in entries.iterator():
        from_status, to_status = ROUND_ACTIONS[entry.action]
        yield {
            "at": entry.timestamp, "user": actor_name(entry), "action": entry.action.removeprefix(PREFIX),
            "community": None, "round": entry.data.get("round", ""), "item": None,
            "from_status": from_status.value, "to_status": to_status.value,
            "reason": entry.data.get("reason", ""), "via": "web",
        }


def _other_streams(community: str | None, round_code: str | None, since: datetime | None) -> list[Iterator[dict]]:
    """Return every other Wagtail log entry matching the filters: one stream per log model, each oldest first.

    Generic entries carry a round in their data when they are about one; page entries are about a community
    when their page is one.
    """
    streams = []
    if not community:
        entries = ModelLogEntry.objects.exclude(
            content_type=ContentType.objects.get_for_model(Round), action__in=list(ROUND_ACTIONS)
        )
        streams.append(_other_events(entries.filter(data__round=round_code) if round_code else entries, since))
    if not round_code:
        pages = PageLogEntry.objects.all()
        if community:
            pages = pages.filter(page_id__in=CommunityPage.objects.filter(code=community).values("pk"))
        streams.append(_other_events(pages, since, community_of=_community_codes))
    return streams


def _community_codes() -> dict[int, str]:
    return dict(CommunityPage.objects.values_list("pk", "code"))


def _other_events(entries, since: datetime | None, community_of=None) -> Iterator[dict]:
    if since:
        entries = entries.filter(timestamp__gte=since)
    codes = None
    for entry in entries.select_related("user").order_by("timestamp", "pk").iterator(chunk_size=2000):
        if community_of is not None and codes is None:
            codes = community_of()  # read once, and only when there are page entries
        data = entry.data if isinstance(entry.data, dict) else {}
        round_value = data.get("round")
        yield {
            "at": entry.timestamp, "user": actor_name(entry), "action": entry.action,
            "community": codes.get(entry.page_id) if codes is not None else None,
            "round": round_value if isinstance(round_value, str) else None, "item": None,
            "from_status": "", "to_status": "", "reason": str(data.get("reason", "")), "via": "",
            "object": entry.label,
        }


def audit_events(
    *, community: str | None = None, round_code: str | None = None, since: datetime | None = None
) -> Iterator[dict]:
    """Yield every recorded event matching the filters, oldest first, with the time in local ISO format.

    Closing or reopening a round concerns every community in it, so those events are included
    (with no community) whenever their round matches. Other events are included when their round or
    community matches the filters (a region edit of the community's page, a round created).
    """
    merged = heapq.merge(
        _item_events(community, round_code, since), _round_events(round_code, since),
        *_other_streams(community, round_code, since), key=lambda e: e["at"],
    )
    for event in merged:
        yield {**event, "at": timezone.localtime(event["at"]).isoformat()}
