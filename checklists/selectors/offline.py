"""What a worker's phone keeps for offline use: the app shell, and the checklist and item pages of every
community the worker serves in the open round, each with a version (its HTTP ETag) so the service worker
downloads only pages that changed.

A page's version is computed from the database, not from the rendered HTML (which carries a fresh CSP nonce and
request id each time): the build (static files and phone templates), the login session, the round, the
community and the `updated_at` of the results shown. Every write to a result saves the row, so a version
changes exactly when the page would.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac

from communities import policy
from communities.models import CommunityPage
from standards.models import Round

from ..actions import ChecklistAction
from ..models import ItemResult
from ..originals import originals_mode
from .mobile import progress_by_community

# The files the phone needs before any page works offline (the service worker precaches them).
SHELL = ("mobile/mobile.css", "mobile/offline.js", "mobile/app.js", "mobile/eval.js", "mobile/photos.js",
         "mobile/photoprep.js")
SW_SOURCE = "mobile/sw.js"
TEMPLATES = ("checklists/mobile", "smartsite")


def _digest(*parts) -> str:
    # 48 bits tell versions of one page apart; the phone downloads the list of every page's version often.
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:12]


@lru_cache(maxsize=1)
def build_version() -> str:
    """Return a fingerprint of what this deployment sends phones: shell files, service worker, phone templates.

    A new deployment changes it, so phones drop their old shell and pages and fetch the new ones.
    """
    sha = hashlib.sha256()
    for name in (*SHELL, SW_SOURCE):
        path = finders.find(name)
        sha.update(Path(path).read_bytes() if path else name.encode())
    for folder in TEMPLATES:
        for path in sorted((Path(settings.BASE_DIR) / "templates" / folder).glob("*.html")):
            sha.update(path.read_bytes())
    for locale_dir in settings.LOCALE_PATHS:  # the translations the pages and the scripts' catalogs carry
        for path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
            sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


def shell_urls() -> list[str]:
    """Return the (hashed, in production) addresses of the shell files and the scripts' catalog per language."""
    catalogs = [reverse("javascript_catalog", args=[code]) for code, _ in settings.LANGUAGES]
    return [*(static(name) for name in SHELL), *catalogs]


def user_key(user) -> str:
    """Return a stable, unguessable key for the user (the phone's queue belongs to it)."""
    return salted_hmac("checklists.offline.user", str(user.pk)).hexdigest()[:16]


def session_key(request) -> str:
    """Return a key for this login (a new login, even by the same user, renews every cached page)."""
    return salted_hmac("checklists.offline.session", request.session.session_key or "").hexdigest()[:16]


def served_communities(user):
    """Return the communities whose phone pages the user fills in (and so keeps offline)."""
    return policy.in_scope(user, ChecklistAction.SAVE, CommunityPage.objects.order_by("code"))


@dataclass(frozen=True)
class PageContext:
    """Everything besides the results that a phone page depends on."""

    session: str
    user_label: str
    round_key: str

    @classmethod
    def of(cls, request, round_: Round | None) -> PageContext:
        user = request.user
        round_key = f"{round_.pk}:{round_.status}:{round_.name}:{round_.standard_id}" if round_ else "-"
        return cls(session_key(request), user.get_full_name() or user.get_username(), round_key)

    def base(self, *extra) -> tuple:
        # The page's language too: a worker who switches it gets every offline page again in the new one.
        return (build_version(), self.session, self.user_label, self.round_key, originals_mode(),
                translation.get_language(), *extra)


def _community_part(community: CommunityPage, can_edit: bool, sensitive: bool) -> tuple:
    return community.pk, community.code, community.title, community.households, can_edit, sensitive


def _stamp(updated) -> str:
    return updated.isoformat() if updated else "-"


def item_etag(ctx: PageContext, community: CommunityPage, can_edit: bool, sensitive: bool, number: int,
              updated) -> str:
    return _digest(*ctx.base("item", number, _stamp(updated)), *_community_part(community, can_edit, sensitive))


def checklist_etag(ctx: PageContext, community: CommunityPage, can_edit: bool, sensitive: bool,
                   stamps: dict[int, object]) -> str:
    parts = [f"{n}:{_stamp(stamps[n])}" for n in sorted(stamps)]
    return _digest(*ctx.base("list", *parts), *_community_part(community, can_edit, sensitive))


def home_etag(ctx: PageContext, rows: list[tuple]) -> str:
    return _digest(*ctx.base("home", *rows))


def result_stamps(round_: Round, community: CommunityPage, number: int | None = None) -> dict[int, object]:
    """Return {item number: updated_at} of the community's results in the round (one query)."""
    rows = ItemResult.objects.filter(round=round_, community=community)
    if number is not None:
        rows = rows.filter(item_number=number)
    return dict(rows.values_list("item_number", "updated_at"))


def page_etag(request, access, number: int | None = None) -> str:
    """Return the version of a community's checklist page (or of item `number`) as this user sees it."""
    ctx = PageContext.of(request, access.round)
    sensitive = policy.may(request.user, ChecklistAction.VIEW_SENSITIVE_EVIDENCE, access.community)
    stamps = result_stamps(access.round, access.community, number)
    if number is None:
        return checklist_etag(ctx, access.community, access.can_edit, sensitive, stamps)
    return item_etag(ctx, access.community, access.can_edit, sensitive, number, stamps.get(number))


@dataclass
class OfflineManifest:
    """The pages a worker's phone keeps, each with its ETag, and the progress of each community.

    `home` is {url: etag}; `communities` is {code: {"list": etag, "items": {number: etag}}} (the service worker
    turns these into /c/<code>/ and /c/<code>/items/<n>/), which keeps the list small for many communities.
    `language` is the one the pages are kept in (the service worker's offline page follows it).
    """

    user: str
    session: str
    build: str
    home: dict[str, str]
    communities: dict[str, dict]
    counts: dict[str, dict]
    language: str


def home_rows(communities: list[CommunityPage], stamps: dict[int, dict[int, object]]) -> list[tuple]:
    rows = []
    for community in communities:
        mine = stamps.get(community.pk, {})
        rows.append((community.pk, community.title, len(mine), max(map(_stamp, mine.values()), default="-")))
    return rows


def offline_manifest(request, round_: Round | None) -> OfflineManifest:
    """Return the pages the logged-in worker's phone should hold for the open round (a few queries)."""
    user, ctx = request.user, PageContext.of(request, round_)
    communities = list(served_communities(user)) if round_ else []
    stamps: dict[int, dict[int, object]] = {}
    rows = ItemResult.objects.filter(round=round_, community__in=[c.pk for c in communities])
    for community_id, number, updated in rows.values_list("community_id", "item_number", "updated_at"):
        stamps.setdefault(community_id, {})[number] = updated
    home = {reverse("home"): home_etag(ctx, home_rows(communities, stamps))}
    pages, counts = {}, {}
    if communities:
        total = len(round_.standard.item_numbers)
        by_id = progress_by_community(round_=round_, community_ids=[c.pk for c in communities], total=total)
        for community in communities:
            mine = stamps.get(community.pk, {})
            sensitive = policy.may(user, ChecklistAction.VIEW_SENSITIVE_EVIDENCE, community)
            pages[community.code] = {
                "list": checklist_etag(ctx, community, True, sensitive, mine),
                "items": {n: item_etag(ctx, community, True, sensitive, n, mine.get(n))
                          for n in round_.standard.item_numbers},
            }
            counts[community.code] = by_id[community.pk]
    return OfflineManifest(user_key(user), ctx.session, build_version(), home, pages, counts,
                           translation.get_language())
