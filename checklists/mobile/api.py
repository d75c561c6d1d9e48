"""JSON endpoints for the page's JavaScript: save, upload, remove, submit. Messages are Chinese; a conflict
is a 409 carrying both versions; a malformed answer is a 400 with field errors (the page keeps its copy)."""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .. import services
from ..evidence import PhotoError, evidence_remove
from ..models import Evidence
from ..selectors.mobile import checklist, progress, receipt_revision
from .access import Access, community_view, item_or_404, json_error, wants_json
from .display import item_state, result_version, version_rows
from .forms import answer_from_json, answer_from_post
from .uploads import add_photo

NO_ROUND = "当前没有进行中的核查轮次"


def posted(view):
    """Decorate a write endpoint: POST only, by the community's worker, while a round is open."""

    @require_POST
    @community_view(edit=True)
    @wraps(view)
    def wrapper(request, access: Access, *args, **kwargs):
        if access.round is None:
            return json_error(NO_ROUND, 409, code="round")
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
    """Save one item's answer; idempotent per request id, 409 with both versions when the base is stale."""
    item = item_or_404(access, number)
    if request.content_type == "application/json":
        answer, errors = answer_from_json(item, request.body)
    else:
        answer, errors = answer_from_post(item, request.POST)
    if errors:
        return json_error("填写的内容格式有误，已保留在本机，请修改后重试", 400, errors=errors)
    if answer.round_code and answer.round_code != access.round.code:
        return json_error("核查轮次已变更，请刷新页面", 409, code="round")
    try:
        outcome = services.answer_save(
            round_=access.round, community=access.community, item_number=number, user=request.user,
            values=answer.values, not_applicable=answer.not_applicable, note=answer.note,
            base_revision=answer.base_revision, request_id=answer.request_id,
        )
    except services.ConflictError as exc:
        mine = {"values": answer.values, "not_applicable": answer.not_applicable, "note": answer.note}
        theirs = result_version(exc.current)
        return json_error(exc.message, 409, code="conflict", mine=mine, theirs=theirs,
                          rows=version_rows(item, mine, theirs))
    except services.TransitionError as exc:
        return json_error(exc.message, 422, code="locked")
    state = _state(access, number)
    if outcome.replayed:
        result_id, revision = receipt_revision(answer.request_id)
        if result_id != outcome.result.pk or outcome.result.item_number != number:
            return json_error("请求号已用于其他指标", 400, errors={"request_id": ["请求号重复"]})
        # A retried save reports the revision it produced, so a later edit by someone else is not swallowed.
        state["revision"] = revision
    return _ok({"replayed": outcome.replayed, "item": state})


@posted
def upload(request, access: Access, number: int):
    """Attach one photo (field `photo`, optional `client_id` making a retry harmless)."""
    item_or_404(access, number)
    upload = request.FILES.get("photo")
    if upload is None:
        return json_error("没有收到照片，请重新选择", 400, code="empty")
    try:
        client_id = uuid.UUID(request.POST["client_id"]) if request.POST.get("client_id") else None
    except ValueError:
        return json_error("请求号格式有误", 400, errors={"client_id": ["请求号格式有误"]})
    try:
        evidence = add_photo(access, number, request.user, upload, client_id)
    except PhotoError as exc:
        return json_error(exc.message, 400, code=exc.code)
    except services.TransitionError as exc:
        return json_error(exc.message, 422, code="locked")
    state = _state(access, number)
    photo = next((p for p in state["photos"] if p["id"] == evidence.pk), None)
    return _ok({"photo": photo, "item": state}, status=201)


@posted
def photo_remove(request, access: Access, number: int, pk: int):
    """Take a photo off the item (it stays on record for the audit trail)."""
    item_or_404(access, number)
    evidence = Evidence.objects.filter(
        pk=pk, result__community=access.community, result__round=access.round, result__item_number=number,
        removed_at__isnull=True,
    ).first()
    if evidence is None:
        return json_error("没有这张照片，可能已被移除", 404)
    try:
        evidence_remove(evidence=evidence, user=request.user)
    except services.TransitionError as exc:
        return json_error(exc.message, 422, code="locked")
    return _ok({"item": _state(access, number)})


@posted
def submit(request, access: Access, number: int):
    """Submit one item for district review (JSON, or a plain form that comes back to the item)."""
    item_or_404(access, number)
    result = services.result_for(round_=access.round, community=access.community, item_number=number)
    try:
        services.item_submit(result=result, user=request.user)
    except services.IncompleteError as exc:
        return _refused(request, access, number, "还不能提交：" + "；".join(exc.reasons), reasons=exc.reasons)
    except services.TransitionError as exc:
        return _refused(request, access, number, exc.message)
    if not wants_json(request):
        messages.success(request, f"第{number}项已提交审核")
        return redirect("mobile:item", access.community.code, number)
    return _ok({"message": f"第{number}项已提交审核", "item": _state(access, number)})


def _refused(request, access: Access, number: int, message: str, **extra):
    if wants_json(request):
        return json_error(message, 422, **extra)
    messages.error(request, message)
    return redirect("mobile:item", access.community.code, number)


@posted
def submit_all(request, access: Access):
    """Submit every complete draft or returned item of the community."""
    try:
        submitted = services.items_submit_all(round_=access.round, community=access.community, user=request.user)
    except PermissionDenied as exc:
        return json_error(str(exc), 403)
    numbers = [r.item_number for r in submitted]
    message = f"已提交{len(numbers)}项：第{'、'.join(map(str, numbers))}项" if numbers else "没有可以提交的已完成项"
    if not wants_json(request):
        (messages.success if numbers else messages.info)(request, message)
        return redirect("mobile:checklist", access.community.code)
    total = len(access.round.standard.item_numbers)
    counts = progress(round_=access.round, community=access.community, total=total)
    return _ok({"message": message, "submitted": numbers, "counts": counts})


__all__ = ["save", "upload", "photo_remove", "submit", "submit_all"]
