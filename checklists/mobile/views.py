"""The phone pages: a community's checklist and one item, each also a plain HTML form that works without
JavaScript (POST, then redirect back; see plain.py).

Each page carries an ETag computed from the database (selectors.offline.page_etag), so the phone's service
worker revalidates its offline copy with a few hundred bytes; responses are gzipped (a checklist is ~80 KB of
HTML and ~13 KB compressed), because phones on 3G pay for every byte.
"""

from __future__ import annotations

import json
import uuid
from functools import lru_cache

from django.contrib.messages import get_messages
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods

from communities import policy
from standards.evaluation import Verdict

from ..actions import ChecklistAction
from ..originals import originals_mode
from ..selectors.mobile import checklist, progress
from ..selectors.offline import page_etag, user_key
from .access import Access, community_view, item_or_404
from .plain import post_item

NO_ROUND = gettext_lazy("当前没有进行中的核查轮次，请等待大数据局开放新一轮核查。")


class FreshId:
    """Render as a new UUID each time, so every form carries its own request id (double posts are replays)."""

    def __str__(self) -> str:
        return str(uuid.uuid4())


_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def standard_json(round_, numbers: list[int] | None = None) -> str:
    """Return what the page's live evaluation needs of the standard (only the items shown), safe in <script>.

    Unlike json_script this keeps Chinese as UTF-8 (half the bytes of \\u escapes) and drops descriptions,
    which the HTML already shows: the first load must stay light on mobile data.
    """
    standard = round_.standard
    return _standard_script(standard, standard.checksum, get_language(), None if numbers is None else tuple(numbers))


@lru_cache(maxsize=64)
def _standard_script(standard, checksum: str, language: str, numbers: tuple[int, ...] | None) -> str:
    # Once per process for a version, language and item: a version never changes in place (its checksum is in the
    # key all the same), and only the verdict labels follow the language. Every checklist GET used to dump it.
    keep = ("number", "fields", "rules")
    items = [i for i in standard.items if numbers is None or i["number"] in numbers]
    data = {"min_photos": standard.min_photos, "na_flags": standard.na_flags,
            "labels": {v.value: v.label for v in Verdict},
            "items": [{k: i[k] for k in keep if k in i} for i in items]}
    return mark_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES))


def phone_context(request) -> dict:
    """Return what every phone page's <body> tells offline.js: whose phone this is, where the worker lives."""
    if not request.user.is_authenticated:
        return {}
    return {"phone": {"user": user_key(request.user), "photoprep": static("mobile/photoprep.js"),
                      "originals": originals_mode(), "at": int(timezone.now().timestamp() * 1000)}}


def cacheable(request, response, etag: str):
    """Give a page its ETag, unless it shows one-off messages (which must never come back from the cache)."""
    if response.status_code == 200 and not len(get_messages(request)):
        response["ETag"] = quote_etag(etag)
    return response


def _page(request, access: Access, template: str, view, etag: str | None, status: int = 200, **extra):
    if "counts" not in extra:  # one item shown: the progress line still speaks for the whole community
        total = len(access.round.standard.item_numbers)
        extra["counts"] = progress(round_=access.round, community=access.community, total=total)
    numbers = None if len(view.items) > 1 else [i.number for i in view.items]
    context = {
        "access": access, "community": access.community, "round": access.round, "checklist": view,
        "fresh_id": FreshId(), "standard_json": standard_json(access.round, numbers),
        "min_photos": access.round.standard.min_photos,
        "show_sensitive": policy.may(request.user, ChecklistAction.VIEW_SENSITIVE_EVIDENCE, access.community),
        **phone_context(request), **extra,
    }
    response = render(request, template, context, status=status)
    # Answers are personal and change under the worker's feet: the browser's own cache never keeps a copy
    # (the service worker keeps its own, revalidated by ETag and dropped at logout).
    response["Cache-Control"] = "no-store"
    return cacheable(request, response, etag) if etag else response


def _no_round(request, access: Access):
    return render(request, "checklists/mobile/message.html",
                  {"community": access.community, "message": NO_ROUND, **phone_context(request)})


def not_modified(request, etag: str):
    """Return a 304 when the phone's copy is current, unless one-off messages wait to be shown on this page."""
    if len(get_messages(request)):
        return None
    return get_conditional_response(request, etag=quote_etag(etag))


@gzip_page
@require_GET
@community_view()
def checklist_page(request, access: Access):
    """Show the community's whole checklist: returned items first, then the four categories."""
    if access.round is None:
        return _no_round(request, access)
    etag = page_etag(request, access)
    if unchanged := not_modified(request, etag):
        return unchanged
    view = checklist(round_=access.round, community=access.community)
    return _page(request, access, "checklists/mobile/checklist.html", view, etag, base="", counts=view.counts)


@gzip_page
@require_http_methods(["GET", "POST"])
@community_view()
def item_page(request, access: Access, number: int):
    """Show one item (the item QR link); a plain form POST saves it, adds photos, removes one or submits."""
    if access.round is None:
        return _no_round(request, access)
    item = item_or_404(access, number)
    if request.method == "POST":
        return post_item(request, access, item, rerender=rerender)
    etag = page_etag(request, access, number)
    if unchanged := not_modified(request, etag):
        return unchanged
    view = checklist(round_=access.round, community=access.community, numbers=[number])
    return _page(request, access, "checklists/mobile/item.html", view, etag, item=view.items[0], base="../../")


def rerender(request, access: Access, number: int, answer, status: int, **extra):
    """Show the item again with what the worker posted (after a conflict or a refusal), not cacheable."""
    override = {number: (answer.values, answer.not_applicable, answer.note)}
    view = checklist(round_=access.round, community=access.community, numbers=[number], overrides=override)
    return _page(request, access, "checklists/mobile/item.html", view, None, status=status, item=view.items[0],
                 base="../../", **extra)
