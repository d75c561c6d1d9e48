"""The phone pages without JavaScript: the item's plain form posts here (save, photos, remove, submit), then
the browser is sent back to the item or to that item on the checklist, with Django messages saying what
happened. The original photo is uploaded whole and processed as it always was."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from communities import policy

from .. import services
from ..actions import ChecklistAction
from ..evidence import evidence_remove
from ..models import Evidence
from .access import Access
from .display import conflict_message, result_version, version_rows
from .forms import answer_from_post
from .uploads import add_uploads


def back_to(request, access: Access, number: int):
    """Return to where the plain form was posted from: the item page, or that item on the whole checklist."""
    if request.POST.get("back") == "list":
        return redirect(reverse("mobile:checklist", args=[access.community.code]) + f"#item-{number}")
    return redirect("mobile:item", access.community.code, number)


def post_item(request, access: Access, item: dict, *, rerender):
    """Handle the item's plain form: save the answer, add and remove photos, submit; then redirect back.

    `rerender(request, access, number, answer, status, **extra)` shows the form again when the save is refused.
    """
    if not access.can_edit:
        raise PermissionDenied(policy.refusal(ChecklistAction.SAVE))
    number = item["number"]
    answer, errors = answer_from_post(item, request.POST)
    if errors:
        for problems in errors.values():
            for problem in problems:
                messages.error(request, problem)
        return back_to(request, access, number)
    result = services.result_for(round_=access.round, community=access.community, item_number=number)
    try:
        if answer.round_code and answer.round_code != access.round.code:
            raise services.TransitionError(_("核查轮次已变更，请重新打开页面后再填写"))
        if answer.differs_from(result.values, result.not_applicable, result.note):
            services.answer_save(
                round_=access.round, community=access.community, item_number=number, user=request.user,
                values=answer.values, not_applicable=answer.not_applicable, note=answer.note,
                base_revision=answer.base_revision, request_id=answer.request_id,
            )
            messages.success(request, _("第%(n)s项已保存") % {"n": number})
    except services.ConflictError as exc:
        mine = {"values": answer.values, "not_applicable": answer.not_applicable, "note": answer.note}
        theirs = result_version(exc.current, request.user)
        # The form comes back with the worker's entry and the server's revision: saving again is a choice
        # made after seeing both versions, never a silent overwrite.
        return rerender(request, access, number, answer, 409, conflict={
            "message": conflict_message(exc.current, request.user), "rows": version_rows(item, mine, theirs),
            "theirs": theirs,
        })
    except services.RequestReused as exc:
        return rerender(request, access, number, answer, 409, error=exc.message)
    except services.TransitionError as exc:
        return rerender(request, access, number, answer, 422, error=exc.message)
    _post_photos(request, access, number, answer.request_id)
    if request.POST.get("do") == "submit":
        _submit(request, access, number)
    return back_to(request, access, number)


def _post_photos(request, access: Access, number: int, request_id: uuid.UUID) -> None:
    files = request.FILES.getlist("photos")
    if files:
        # Client ids derived from the form's request id make a double-posted form add each photo once.
        for problem in add_uploads(access, number, request.user, files, request_id):
            messages.error(request, problem)
        messages.info(request, _("已处理%(n)s张照片") % {"n": len(files)})
    ids = [int(pk) for pk in request.POST.getlist("remove") if pk.isdigit()]
    chosen = Evidence.objects.filter(
        pk__in=ids, result__community=access.community, result__round=access.round,
        result__item_number=number, removed_at__isnull=True,
    )
    for evidence in chosen:
        try:
            evidence_remove(evidence=evidence, user=request.user)
            messages.success(request, _("照片已移除"))
        except services.TransitionError as exc:
            messages.error(request, exc.message)


def _submit(request, access: Access, number: int) -> None:
    result = services.result_for(round_=access.round, community=access.community, item_number=number)
    try:
        services.item_submit(result=result, user=request.user)
        messages.success(request, _("第%(n)s项已提交审核") % {"n": number})
    except services.IncompleteError as exc:
        messages.error(request, _("还不能提交：%(reasons)s") % {"reasons": "；".join(exc.reasons)})
    except services.TransitionError as exc:
        messages.error(request, exc.message)
