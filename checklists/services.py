"""Writes on item results: save, submit, approve, return, reopen, close a round. Each is one transaction,
checks who may do it, moves the status only through checklists.workflow and leaves an audit entry."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from communities.models import CommunityPage
from communities.selectors import is_admin, may_access_community
from standards.evaluation import ItemEvaluation, Verdict, evaluate_item
from standards.models import Round, RoundStatus

from . import audit
from .models import ItemResult, SaveReceipt, Status
from .workflow import ACTORS, Action, TransitionError, next_status


class ConflictError(Exception):
    """Someone else saved the item since the client loaded it; nothing was overwritten."""

    def __init__(self, current: ItemResult):
        super().__init__("该指标已被他人修改")
        self.current = current
        self.message = (
            f"该指标已被{current.updated_by or '他人'}于{timezone.localtime(current.updated_at):%m-%d %H:%M}修改，"
            "请对比两个版本后再保存"
        )


class IncompleteError(Exception):
    """An item that cannot be submitted yet; `reasons` says what is missing or wrong."""

    def __init__(self, reasons: list[str]):
        super().__init__("；".join(reasons))
        self.reasons = reasons


@dataclass
class SaveOutcome:
    result: ItemResult
    evaluation: ItemEvaluation
    replayed: bool = False  # the same client request had already been applied


def authorize(user, community: CommunityPage, action: Action) -> None:
    """Raise PermissionDenied unless `user` holds the role that takes `action` on this community."""
    if is_admin(user):
        return
    if not may_access_community(user, community, (ACTORS[action],)):
        raise PermissionDenied("您没有权限对该社区执行此操作")


def item_definition(round_: Round, item_number: int) -> dict:
    """Return the item of the round's pinned standard, or raise ValueError for an unknown number."""
    if item_number not in round_.standard.item_numbers:
        raise ValueError(f"标准中没有第{item_number}项")
    return round_.standard.item(item_number)


def result_for(*, round_: Round, community: CommunityPage, item_number: int, lock: bool = False) -> ItemResult:
    """Return the community's result for the item, creating an empty draft the first time."""
    item_definition(round_, item_number)
    result, _ = ItemResult.objects.get_or_create(round=round_, community=community, item_number=item_number)
    if lock:
        result = ItemResult.objects.select_for_update().select_related("round__standard", "community").get(
            pk=result.pk
        )
    return result


def evaluate(result: ItemResult, *, photo_count: int | None = None) -> ItemEvaluation:
    """Run the evaluation engine on the stored values and the item's live photos."""
    if photo_count is None:
        photo_count = result.photos.filter(removed_at__isnull=True).count()
    standard = result.round.standard
    return evaluate_item(
        standard.item(result.item_number), result.values, result.not_applicable,
        photo_count=photo_count, min_photos=standard.min_photos,
    )


def evaluation_summary(evaluation: ItemEvaluation) -> dict:
    """Return the engine's verdict as JSON for storage and display."""
    return {
        "verdict": evaluation.verdict.value,
        "reasons": evaluation.reasons,
        "rules": [
            {"key": r.key, "label": r.label, "verdict": r.verdict.value, "message": r.message,
             "percent": None if r.percent is None else str(Decimal(r.percent.numerator) / r.percent.denominator)}
            for r in evaluation.rules
        ],
        "requirements": [
            {"field": r.field, "label": r.label, "verdict": r.verdict.value, "message": r.message}
            for r in evaluation.requirements
        ],
        "errors": [{"field": e.field, "message": e.message} for e in evaluation.errors],
    }


def refresh_verdict(result: ItemResult, evaluation: ItemEvaluation | None = None) -> ItemEvaluation:
    """Store the engine's verdict on the result (call after values or photos change)."""
    evaluation = evaluation or evaluate(result)
    result.rules_pass = evaluation.passed
    result.complete = evaluation.complete and not evaluation.errors
    result.evaluation = evaluation_summary(evaluation)
    return evaluation


def _json_value(value):
    if isinstance(value, Decimal | float):
        return str(value)
    return value


def _stored_values(item: dict, values: dict) -> dict:
    """Keep only the item's own fields, as JSON-safe values (decimals as exact strings)."""
    keys = {f["key"] for f in item["fields"]}
    return {k: _json_value(v) for k, v in values.items() if k in keys and v not in (None, "")}


def _transition(result: ItemResult, action: Action, reason: str = "") -> str:
    return next_status(action, result.status, round_open=result.round.is_open, reason=reason)


@transaction.atomic
def answer_save(
    *,
    round_: Round,
    community: CommunityPage,
    item_number: int,
    user,
    values: dict,
    not_applicable: dict | None = None,
    note: str | None = None,
    base_revision: int | None = None,
    request_id: uuid.UUID | None = None,
    via: str = "web",
    check_permission: bool = True,
) -> SaveOutcome:
    """Save a worker's answer to one item; idempotent per request id, refusing stale revisions."""
    if check_permission:
        authorize(user, community, Action.SAVE)
    result = result_for(round_=round_, community=community, item_number=item_number, lock=True)
    if request_id and (receipt := SaveReceipt.objects.filter(request_id=request_id).first()):
        return SaveOutcome(receipt.result, evaluate(receipt.result), replayed=True)
    if base_revision is not None and base_revision != result.revision:
        raise ConflictError(result)
    old_status = result.status
    result.status = _transition(result, Action.SAVE)
    item = item_definition(round_, item_number)
    result.values = _stored_values(item, values)
    if not_applicable is not None:
        result.not_applicable = {k: v for k, v in not_applicable.items() if v}
    if note is not None:
        result.note = note
    evaluation = refresh_verdict(result)
    result.revision += 1
    result.updated_by = user
    result.save()
    if request_id:
        SaveReceipt.objects.create(request_id=request_id, result=result, revision=result.revision)
    audit.record(
        result, "saved", user=user, from_status=old_status, via=via,
        data={"revision": result.revision, "values": result.values, "not_applicable": result.not_applicable},
    )
    return SaveOutcome(result, evaluation)


def _check_complete(result: ItemResult) -> ItemEvaluation:
    evaluation = refresh_verdict(result)
    if evaluation.errors or not evaluation.complete:
        raise IncompleteError([r for r in evaluation.reasons if r] or ["请先填写完整"])
    return evaluation


@transaction.atomic
def item_submit(
    *, result: ItemResult, user, via: str = "web", check_permission: bool = True, require_complete: bool = True
) -> ItemResult:
    """Submit a complete item for district review (a failing but honest answer may be submitted).

    `require_complete=False` is for a results import replaying a verifier's paper decision to return an
    incomplete item: it only passes through "submitted" on its way to "returned".
    """
    result = ItemResult.objects.select_for_update().select_related("round__standard", "community").get(pk=result.pk)
    if check_permission:
        authorize(user, result.community, Action.SUBMIT)
    if result.status == Status.SUBMITTED:
        return result  # a double tap: already done
    old_status = result.status
    new_status = _transition(result, Action.SUBMIT)
    if require_complete:
        _check_complete(result)
    else:
        refresh_verdict(result)
    result.status, result.submitted_at, result.updated_by = new_status, timezone.now(), user
    result.save()
    audit.record(result, "submitted", user=user, from_status=old_status, via=via)
    return result


def items_submit_all(*, round_: Round, community: CommunityPage, user) -> list[ItemResult]:
    """Submit every complete draft or returned item of a community; skip the rest."""
    authorize(user, community, Action.SUBMIT)
    submitted = []
    candidates = ItemResult.objects.filter(
        round=round_, community=community, status__in=[Status.DRAFT, Status.RETURNED], complete=True
    )
    for result in candidates:
        try:
            submitted.append(item_submit(result=result, user=user))
        except (IncompleteError, TransitionError):
            continue
    return submitted


@transaction.atomic
def _decide(result: ItemResult, user, action: Action, reason: str, via: str, check_permission: bool) -> ItemResult:
    result = ItemResult.objects.select_for_update().select_related("round__standard", "community").get(pk=result.pk)
    if check_permission:
        authorize(user, result.community, action)
    old_status = result.status
    result.status = _transition(result, action, reason)
    if action == Action.APPROVE:
        refresh_verdict(result)
    result.return_reason = reason.strip() if action in (Action.RETURN, Action.REOPEN) else ""
    result.decided_at, result.decided_by = timezone.now(), user
    result.save()
    audit.record(result, action.value, user=user, from_status=old_status, reason=reason.strip(), via=via)
    return result


def item_approve(*, result: ItemResult, user, via: str = "web", check_permission: bool = True) -> ItemResult:
    """Approve a submitted item: it now counts toward coverage if its rules hold, and is locked."""
    return _decide(result, user, Action.APPROVE, "", via, check_permission)


def item_return(
    *, result: ItemResult, user, reason: str, via: str = "web", check_permission: bool = True
) -> ItemResult:
    """Return a submitted item to the worker with a reason."""
    return _decide(result, user, Action.RETURN, reason, via, check_permission)


def item_reopen(
    *, result: ItemResult, user, reason: str, via: str = "web", check_permission: bool = True
) -> ItemResult:
    """Unlock an approved item for the worker again, with a reason."""
    return _decide(result, user, Action.REOPEN, reason, via, check_permission)


def items_approve_all(*, round_: Round, community: CommunityPage, user) -> list[ItemResult]:
    """Approve every submitted item of a community at once."""
    authorize(user, community, Action.APPROVE)
    pending = ItemResult.objects.filter(round=round_, community=community, status=Status.SUBMITTED)
    return [item_approve(result=r, user=user) for r in pending]


@transaction.atomic
def round_set_status(*, round_: Round, user, status: str, reason: str = "") -> Round:
    """Close a round (figures frozen, no more edits or decisions) or reopen it; both are logged."""
    if not (is_admin(user) or user.has_perm("standards.change_round")):
        raise PermissionDenied("只有大数据局或管理员可以关闭或重新开放轮次")
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == status:
        return round_
    round_.status = status
    round_.closed_at = timezone.now() if status == RoundStatus.CLOSED else None
    round_.save()
    action = "round_closed" if status == RoundStatus.CLOSED else "round_reopened"
    log(round_, audit.PREFIX + action, user=user, data={"round": round_.code, "reason": reason})
    return round_


__all__ = [
    "ConflictError", "IncompleteError", "SaveOutcome", "TransitionError", "Verdict",
    "answer_save", "item_submit", "items_submit_all", "item_approve", "item_return", "item_reopen",
    "items_approve_all", "round_set_status", "result_for", "refresh_verdict", "evaluate",
]
