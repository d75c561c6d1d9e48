"""The phone pages: a community's checklist and one item, each also a plain HTML form that works without
JavaScript (POST, then redirect back)."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from communities import policy
from communities.policy import Action
from standards.evaluation import Verdict

from .. import services
from ..evidence import evidence_remove
from ..models import Evidence
from ..selectors.mobile import checklist, progress
from .access import Access, community_view, item_or_404
from .display import result_version, version_rows
from .forms import Answer, answer_from_post
from .uploads import add_uploads

NO_ROUND = "当前没有进行中的核查轮次，请等待大数据局开放新一轮核查。"


class FreshId:
    """Render as a new UUID each time, so every form carries its own request id (double posts are replays)."""

    def __str__(self) -> str:
        return str(uuid.uuid4())


_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _standard_json(round_) -> str:
    """Return what the page's live evaluation needs of the standard, as JSON safe inside <script>.

    Unlike json_script this keeps Chinese as UTF-8 (half the bytes of \\u escapes) and drops descriptions,
    which the HTML already shows: the first load must stay light on mobile data.
    """
    keep = ("number", "fields", "rules")
    data = {"min_photos": round_.standard.min_photos, "na_flags": round_.standard.na_flags,
            "labels": {v.value: v.label for v in Verdict},
            "items": [{k: i[k] for k in keep if k in i} for i in round_.standard.items]}
    return mark_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES))


def _page(request, access: Access, template: str, view, status: int = 200, **extra):
    if "counts" not in extra:  # one item shown: the progress line still speaks for the whole community
        total = len(access.round.standard.item_numbers)
        extra["counts"] = progress(round_=access.round, community=access.community, total=total)
    context = {
        "access": access, "community": access.community, "round": access.round, "checklist": view,
        "fresh_id": FreshId(), "standard_json": _standard_json(access.round),
        "min_photos": access.round.standard.min_photos,
        "show_sensitive": policy.may(request.user, Action.VIEW_SENSITIVE_EVIDENCE, access.community), **extra,
    }
    response = render(request, template, context, status=status)
    # Answers are personal and change under the worker's feet: never let Back show a stale copy.
    response["Cache-Control"] = "no-store"
    return response


def _no_round(request, access: Access):
    return render(request, "checklists/mobile/message.html",
                  {"community": access.community, "message": NO_ROUND})


@require_http_methods(["GET"])
@community_view()
def checklist_page(request, access: Access):
    """Show the community's whole checklist: returned items first, then the four categories."""
    if access.round is None:
        return _no_round(request, access)
    view = checklist(round_=access.round, community=access.community)
    return _page(request, access, "checklists/mobile/checklist.html", view, base="", counts=view.counts)


@require_http_methods(["GET", "POST"])
@community_view()
def item_page(request, access: Access, number: int):
    """Show one item (the item QR link); a plain form POST saves it, adds photos, removes one or submits."""
    if access.round is None:
        return _no_round(request, access)
    item = item_or_404(access, number)
    if request.method == "POST":
        if not access.can_edit:
            raise PermissionDenied("您只能查看该社区的填报，不能修改")
        return _post(request, access, item)
    view = checklist(round_=access.round, community=access.community, numbers=[number])
    return _page(request, access, "checklists/mobile/item.html", view, item=view.items[0], base="../../")


def _back(request, access: Access, number: int):
    """Return to where the plain form was posted from: the item page, or that item on the whole checklist."""
    if request.POST.get("back") == "list":
        return redirect(reverse("mobile:checklist", args=[access.community.code]) + f"#item-{number}")
    return redirect("mobile:item", access.community.code, number)


def _rerender(request, access: Access, number: int, answer: Answer, status: int, **extra):
    override = {number: (answer.values, answer.not_applicable, answer.note)}
    view = checklist(round_=access.round, community=access.community, numbers=[number], overrides=override)
    return _page(request, access, "checklists/mobile/item.html", view, status=status, item=view.items[0],
                 base="../../", **extra)


def _post(request, access: Access, item: dict):
    number = item["number"]
    answer, errors = answer_from_post(item, request.POST)
    if errors:
        for problems in errors.values():
            for problem in problems:
                messages.error(request, problem)
        return _back(request, access, number)
    result = services.result_for(round_=access.round, community=access.community, item_number=number)
    try:
        if answer.round_code and answer.round_code != access.round.code:
            raise services.TransitionError("核查轮次已变更，请重新打开页面后再填写")
        if answer.differs_from(result.values, result.not_applicable, result.note):
            services.answer_save(
                round_=access.round, community=access.community, item_number=number, user=request.user,
                values=answer.values, not_applicable=answer.not_applicable, note=answer.note,
                base_revision=answer.base_revision, request_id=answer.request_id,
            )
            messages.success(request, f"第{number}项已保存")
    except services.ConflictError as exc:
        mine = {"values": answer.values, "not_applicable": answer.not_applicable, "note": answer.note}
        theirs = result_version(exc.current)
        # The form comes back with the worker's entry and the server's revision: saving again is a choice
        # made after seeing both versions, never a silent overwrite.
        return _rerender(request, access, number, answer, 409, conflict={
            "message": exc.message, "rows": version_rows(item, mine, theirs), "theirs": theirs,
        })
    except services.TransitionError as exc:
        return _rerender(request, access, number, answer, 422, error=exc.message)
    _post_photos(request, access, number, answer.request_id)
    if request.POST.get("do") == "submit":
        _submit(request, access, number)
    return _back(request, access, number)


def _post_photos(request, access: Access, number: int, request_id: uuid.UUID) -> None:
    files = request.FILES.getlist("photos")
    if files:
        # Client ids derived from the form's request id make a double-posted form add each photo once.
        for problem in add_uploads(access, number, request.user, files, request_id):
            messages.error(request, problem)
        messages.info(request, f"已处理{len(files)}张照片")
    ids = [int(pk) for pk in request.POST.getlist("remove") if pk.isdigit()]
    chosen = Evidence.objects.filter(
        pk__in=ids, result__community=access.community, result__round=access.round,
        result__item_number=number, removed_at__isnull=True,
    )
    for evidence in chosen:
        try:
            evidence_remove(evidence=evidence, user=request.user)
            messages.success(request, "照片已移除")
        except services.TransitionError as exc:
            messages.error(request, exc.message)


def _submit(request, access: Access, number: int) -> None:
    result = services.result_for(round_=access.round, community=access.community, item_number=number)
    try:
        services.item_submit(result=result, user=request.user)
        messages.success(request, f"第{number}项已提交审核")
    except services.IncompleteError as exc:
        messages.error(request, "还不能提交：" + "；".join(exc.reasons))
    except services.TransitionError as exc:
        messages.error(request, exc.message)
