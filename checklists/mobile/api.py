"""JSON endpoints for the page's JavaScript: save, upload (a display copy with the original's declared facts,
or a whole photo), the original later, remove, submit, withdraw, submit all. Messages are Chinese; a conflict
is a 409 carrying both versions; a malformed answer is a 400 with field errors (the page keeps its copy).
Submit, withdraw and submit-all also answer a plain form post with a redirect and a message."""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from intake.responses import json_refusal, wants_json

from .. import services
from ..evidence import PhotoError, evidence_remove
from ..models import Evidence
from ..originals import parse_declared
from ..selectors.mobile import checklist, progress, receipt_revision
from .access import Access, community_view, item_or_404
from .display import conflict_message, counts_json, item_state, result_version, version_rows
from .forms import answer_from_json, answer_from_post
from .plain import back_to
from .uploads import add_original, add_photo

NO_ROUND = gettext_lazy("当前没有进行中的核查轮次")


def posted(view):
    """Decorate a write endpoint: POST only, by the community's worker, while a round is open."""

    @require_POST
    @community_view(edit=True)
    @wraps(view)
    def wrapper(request, access: Access, *args, **kwargs):
        if access.round is None:
            return json_refusal(str(NO_ROUND), 409, code="round")
        return view(request, access, *args, **kwargs)

    return wrapper


def _ok(payload: dict, status: int = 200) -> JsonResponse:
    return JsonResponse({"ok": True, **payload}, status=status, json_dumps_params={"ensure_ascii": False})


def _state(access: Access, number: int) -> dict:
    view = checklist(round_=access.round, community=access.community, numbers=[number])
    total = len(access.round.standard.item_numbers)
    counts = progress(round_=access.round, community=access.community, total=total)
    return item_state(access.community.code, view.items[0], counts)


@posted
def save(request, access: Access, number: int):
    """Save one item's answer; 409 with both versions when the base is stale.

    Idempotent per request id: a retry answers the stored outcome; the id reused for other content is a 409
    ("reused") and the new content is not applied."""
    item = item_or_404(access, number)
    if request.content_type == "application/json":
        answer, errors = answer_from_json(item, request.body)
    else:
        answer, errors = answer_from_post(item, request.POST)
    if errors:
        return json_refusal(_("填写的内容格式有误，已保留在本机，请修改后重试"), 400, errors=errors)
    if answer.round_code and answer.round_code != access.round.code:
        return json_refusal(_("核查轮次已变更，请刷新页面"), 409, code="round")
    try:
        outcome = services.answer_save(
            round_=access.round, community=access.community, item_number=number, user=request.user,
            values=answer.values, not_applicable=answer.not_applicable, note=answer.note,
            base_revision=answer.base_revision, request_id=answer.request_id,
        )
    except services.ConflictError as exc:
        mine = {"values": answer.values, "not_applicable": answer.not_applicable, "note": answer.note}
        theirs = result_version(exc.current, request.user)
        return json_refusal(conflict_message(exc.current, request.user), 409, code="conflict", mine=mine, theirs=theirs,
                          rows=version_rows(item, mine, theirs))
    except services.RequestReused as exc:
        return json_refusal(exc.message, 409, code="reused")
    except services.TransitionError as exc:
        return json_refusal(exc.message, 422, code="locked")
    state = _state(access, number)
    if outcome.replayed:
        _result, revision = receipt_revision(answer.request_id)
        # A retried save reports the revision it produced, so a later edit by someone else is not swallowed.
        state["revision"] = revision
    return _ok({"replayed": outcome.replayed, "item": state})


def _live_photo(access: Access, number: int, pk: int) -> Evidence | None:
    return Evidence.objects.filter(
        pk=pk, result__community=access.community, result__round=access.round, result__item_number=number,
        removed_at__isnull=True,
    ).first()


def _photo_state(access: Access, number: int, pk: int, status: int = 200):
    state = _state(access, number)
    photo = next((p for p in state["photos"] if p["id"] == pk), None)
    return _ok({"photo": photo, "item": state}, status=status)


@posted
def upload(request, access: Access, number: int):
    """Attach one photo: field `photo`, optional `client_id` making a retry harmless, and `declared` (JSON)
    when `photo` is the phone's display copy and the original follows later (see checklists.originals)."""
    item_or_404(access, number)
    upload = request.FILES.get("photo")
    if upload is None:
        return json_refusal(_("没有收到照片，请重新选择"), 400, code="empty")
    try:
        client_id = uuid.UUID(request.POST["client_id"]) if request.POST.get("client_id") else None
    except ValueError:
        return json_refusal(_("请求号格式有误"), 400, errors={"client_id": [_("请求号格式有误")]})
    try:
        declared = parse_declared(request.POST["declared"]) if request.POST.get("declared") else None
        evidence = add_photo(access, number, request.user, upload, client_id, declared)
    except PhotoError as exc:
        return _photo_refused(exc)
    except services.TransitionError as exc:
        return json_refusal(exc.message, 422, code="locked")
    return _photo_state(access, number, evidence.pk, status=201)


# A reused client id is final (409); a busy server is not (503: the phone's queue sends the photo again).
_PHOTO_STATUS = {"reused": 409, "never": 409, "busy": 503}
RETRY_AFTER_SECONDS = 10


def _photo_refused(exc: PhotoError):
    response = json_refusal(exc.message, _PHOTO_STATUS.get(exc.code, 400), code=exc.code)
    if exc.code == "busy":
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@posted
def photo_original(request, access: Access, number: int, pk: int):
    """Receive the original of a photo added from its display copy (field `original`): kept only if its
    SHA-256 is the one the phone declared; otherwise refused and nothing is stored."""
    item_or_404(access, number)
    evidence = _live_photo(access, number, pk)
    if evidence is None:
        return json_refusal(_("没有这张照片，可能已被移除"), 404, code="gone")
    upload = request.FILES.get("original")
    if upload is None:
        return json_refusal(_("没有收到高清原图，请重新发送"), 400, code="empty")
    try:
        add_original(evidence, request.user, upload)
    except PhotoError as exc:
        return _photo_refused(exc)
    except services.TransitionError as exc:
        return json_refusal(exc.message, 422, code="locked")
    return _photo_state(access, number, pk)


@posted
def photo_remove(request, access: Access, number: int, pk: int):
    """Take a photo off the item (it stays on record for the audit trail)."""
    item_or_404(access, number)
    evidence = _live_photo(access, number, pk)
    if evidence is None:
        return json_refusal(_("没有这张照片，可能已被移除"), 404)
    try:
        evidence_remove(evidence=evidence, user=request.user)
    except services.TransitionError as exc:
        return json_refusal(exc.message, 422, code="locked")
    return _ok({"item": _state(access, number)})


@posted
def submit(request, access: Access, number: int):
    """Submit one item for district review (JSON, or a plain form that comes back to the item)."""
    item_or_404(access, number)
    result = services.result_for(round_=access.round, community=access.community, item_number=number)
    try:
        services.item_submit(result=result, user=request.user)
    except services.IncompleteError as exc:
        message = _("还不能提交：%(reasons)s") % {"reasons": "；".join(exc.reasons)}
        return _refused(request, access, number, message, reasons=exc.reasons)
    except services.TransitionError as exc:
        return _refused(request, access, number, exc.message)
    return _done(request, access, number, _("第%(n)s项已提交审核") % {"n": number})


@posted
def withdraw(request, access: Access, number: int):
    """Take a submitted item back from review so it can be corrected (on the audit trail as 撤回修改)."""
    item_or_404(access, number)
    result = services.result_for(round_=access.round, community=access.community, item_number=number)
    try:
        result = services.item_withdraw(result=result, user=request.user)
    except services.TransitionError as exc:
        return _refused(request, access, number, exc.message)
    return _done(request, access, number, _("第%(n)s项已撤回，已退出审核队列；修改后请重新提交审核") % {"n": number})


def _done(request, access: Access, number: int, message: str):
    if not wants_json(request):
        messages.success(request, message)
        return back_to(request, access, number)
    return _ok({"message": message, "item": _state(access, number)})


def _refused(request, access: Access, number: int, message: str, **extra):
    if wants_json(request):
        return json_refusal(message, 422, **extra)
    messages.error(request, message)
    return back_to(request, access, number)


def submit_all_message(outcome: services.SubmitAllOutcome) -> str:
    """Return what 提交全部 did, in one sentence: what it submitted, and what it left alone and why."""
    numbers = _("、").join(map(str, outcome.numbers))
    done = _("已提交%(count)s项：第%(numbers)s项") % {"count": len(outcome.numbers), "numbers": numbers} \
        if outcome.numbers else _("没有可以提交的项")
    if not outcome.skipped:
        return done
    skipped = "；".join(_("第%(n)s项（%(reason)s）") % {"n": s.number, "reason": s.reason} for s in outcome.skipped)
    return _("%(done)s。未提交：%(skipped)s") % {"done": done, "skipped": skipped}


@posted
def submit_all(request, access: Access):
    """Submit every complete draft, and every returned item changed since its return; list what was skipped."""
    try:
        outcome = services.items_submit_all(round_=access.round, community=access.community, user=request.user)
    except PermissionDenied as exc:
        return json_refusal(str(exc), 403)
    message = submit_all_message(outcome)
    if not wants_json(request):
        (messages.success if outcome.submitted else messages.info)(request, message)
        return redirect("mobile:checklist", access.community.code)
    numbers = outcome.numbers
    view = checklist(round_=access.round, community=access.community, numbers=numbers) if numbers else None
    total = len(access.round.standard.item_numbers)
    counts = progress(round_=access.round, community=access.community, total=total)
    return _ok({
        "message": message, "submitted": numbers,
        "skipped": [{"number": s.number, "reason": s.reason} for s in outcome.skipped],
        "items": [item_state(access.community.code, v, counts) for v in view.items] if view else [],
        "counts": counts_json(counts),
    })


__all__ = ["save", "upload", "photo_original", "photo_remove", "submit", "withdraw", "submit_all"]
