"""Writes on a community's answers: save, submit, submit all. Each is one transaction, asks the policy who may
do it, moves the status only through checklists.workflow and leaves an audit entry."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from communities import policy
from communities.models import CommunityPage
from communities.policy import Action
from standards.evaluation import ItemEvaluation, evaluate_item, summary
from standards.models import Round

from . import audit
from .actions import ChecklistAction
from .models import ItemResult, SaveReceipt, Status
from .workflow import PAST, TransitionError, next_status

__all__ = ["ConflictError", "IncompleteError", "RequestReused", "SaveOutcome", "Skipped", "SubmitAllOutcome",
           "TransitionError", "payload_digest", "answer_save", "item_submit", "item_withdraw", "items_submit_all",
           "result_for", "refresh_verdict", "evaluate", "locked", "authorize"]


class ConflictError(Exception):
    """Someone else saved the item since the client loaded it; nothing was overwritten."""

    def __init__(self, current: ItemResult):
        super().__init__("该指标已被他人修改")
        self.current = current
        self.message = (
            f"该指标已被{current.updated_by or '他人'}于{timezone.localtime(current.updated_at):%m-%d %H:%M}修改，"
            "请对比两个版本后再保存"
        )


class RequestReused(Exception):
    """A request id already applied to other content (another answer or another item); nothing was saved."""

    message = gettext_lazy("该请求号已用于另一份不同的填报内容，本次修改未保存（已保留在本机）；请核对后重新保存")


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


@dataclass(frozen=True)
class Skipped:
    number: int
    reason: str


@dataclass
class SubmitAllOutcome:
    """What 提交全部 did: the items it submitted, and each draft or returned item it left alone, with why."""

    submitted: list[ItemResult]
    skipped: list[Skipped]

    @property
    def numbers(self) -> list[int]:
        return [r.item_number for r in self.submitted]


UNCHANGED_SINCE_RETURN = gettext_noop("被退回后尚未修改")
NOT_STARTED = gettext_noop("尚未填写")


class CommunityRetired(PermissionDenied):
    """The community was retired by a 区划调整: what it has is kept, nothing more is written for it."""

    def __init__(self, community: CommunityPage) -> None:
        date = timezone.localtime(community.retired_at).strftime("%Y-%m-%d")
        self.message = _("该社区已于 %(date)s 因区划调整撤销，不能再填报或上传照片。"
                         "已填报的内容、照片和审核记录均已保留。") % {"date": date}
        super().__init__(self.message)


def authorize(user, community: CommunityPage, action: Action, via: str = "web") -> None:
    """Raise PermissionDenied unless the policy lets `user` take `action` on this community, and
    CommunityRetired (a PermissionDenied) for a retired community, on every surface: phone, admin, import.

    An import replays what was decided on paper, so it needs the right to import there rather than the role
    that took each step (a district verifier imports its workers' answers and its own decisions).
    """
    policy.require(user, ChecklistAction.IMPORT_RESULTS if via == "import" else action, community)
    if community.retired_at is not None:
        raise CommunityRetired(community)


def item_definition(round_: Round, item_number: int) -> dict:
    """Return the item of the round's pinned standard, or raise ValueError for an unknown number."""
    if item_number not in round_.standard.item_numbers:
        raise ValueError(f"标准中没有第{item_number}项")
    return round_.standard.item(item_number)


def result_for(*, round_: Round, community: CommunityPage, item_number: int, lock: bool = False) -> ItemResult:
    """Return the community's result for the item, creating an empty draft the first time."""
    item_definition(round_, item_number)
    result, _ = ItemResult.objects.get_or_create(round=round_, community=community, item_number=item_number)
    return locked(result) if lock else result


def locked(result: ItemResult) -> ItemResult:
    """Return the result re-read under a row lock (call inside a transaction): writers on one item take turns."""
    return ItemResult.objects.select_for_update().select_related("round__standard", "community").get(pk=result.pk)


def evaluate(result: ItemResult, *, photo_count: int | None = None) -> ItemEvaluation:
    """Run the evaluation engine on the stored values and the item's live photos."""
    if photo_count is None:
        photo_count = result.photos.filter(removed_at__isnull=True).count()
    standard = result.round.standard
    return evaluate_item(
        standard.item(result.item_number), result.values, result.not_applicable,
        na_flags=standard.na_flags, photo_count=photo_count, min_photos=standard.min_photos,
    )


def refresh_verdict(result: ItemResult, evaluation: ItemEvaluation | None = None) -> ItemEvaluation:
    """Store the engine's verdict on the result (call after values or photos change); return it in the
    reader's language. (`evaluation`: one already made in Chinese, e.g. by the synthetic province.)

    The stored summary is a record the bureau's pages and exports read whoever saved it, so its messages are
    always in the source language (Chinese), never in the language of the person who happened to save.
    """
    photo_count = None if evaluation else result.photos.filter(removed_at__isnull=True).count()
    with translation.override(settings.LANGUAGE_CODE):
        stored = evaluation or evaluate(result, photo_count=photo_count)
        result.evaluation = summary(stored)
    result.rules_pass = stored.passed
    result.complete = stored.complete
    if evaluation or translation.get_language() == settings.LANGUAGE_CODE:
        return stored
    return evaluate(result, photo_count=photo_count)


def readable_evaluation(result: ItemResult) -> dict:
    """The result's evaluation summary in the reader's language: the stored one (Chinese, see refresh_verdict)
    for a Chinese reader, the same evaluation made again from the same values and photos for anyone else."""
    if result.evaluation and translation.get_language() == settings.LANGUAGE_CODE:
        return result.evaluation
    return summary(evaluate(result))


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


def payload_digest(*, result: ItemResult, values: dict, not_applicable: dict | None, note: str | None) -> str:
    """Return the SHA-256 of a save's content and target, as canonical JSON (sorted keys, decimals as text)."""
    payload = {"round": result.round_id, "community": result.community_id, "item": result.item_number,
               "values": values, "not_applicable": not_applicable, "note": note}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(receipt: SaveReceipt, result: ItemResult, digest: str) -> SaveOutcome:
    """Answer a request id seen before: the stored outcome if it asked for the same thing, else RequestReused."""
    # An old receipt has no digest: it can only be told apart by its item.
    if receipt.result_id != result.pk or (receipt.payload_digest and receipt.payload_digest != digest):
        raise RequestReused
    return SaveOutcome(receipt.result, evaluate(receipt.result), replayed=True)


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
) -> SaveOutcome:
    """Save a worker's answer to one item, refusing stale revisions.

    Idempotent per request id, as ODK Central is per instance id: the same id with the same content answers the
    stored outcome and writes nothing; with other content (or for another item) it raises RequestReused.
    """
    authorize(user, community, ChecklistAction.SAVE, via)
    result = result_for(round_=round_, community=community, item_number=item_number, lock=True)
    digest = payload_digest(result=result, values=values, not_applicable=not_applicable, note=note)
    if request_id and (receipt := SaveReceipt.objects.filter(request_id=request_id).first()):
        return _replay(receipt, result, digest)
    if base_revision is not None and base_revision != result.revision:
        raise ConflictError(result)
    old_status = result.status
    result.status = _transition(result, ChecklistAction.SAVE)
    before = (result.values, result.not_applicable, result.note)
    item = item_definition(round_, item_number)
    result.values = _stored_values(item, values)
    if not_applicable is not None:
        result.not_applicable = {k: v for k, v in not_applicable.items() if v}
    if note is not None:
        result.note = note
    if (result.values, result.not_applicable, result.note) != before:
        result.changed_since_return = True
    evaluation = refresh_verdict(result)
    result.revision += 1
    result.updated_by = user
    result.save()
    if request_id:
        try:
            with transaction.atomic():
                SaveReceipt.objects.create(request_id=request_id, result=result, revision=result.revision,
                                           payload_digest=digest)
        except IntegrityError:
            # The same id committed meanwhile by a save to another item (row locks are per item): undo this one.
            raise RequestReused from None
    audit.record(
        result, PAST[ChecklistAction.SAVE], user=user, from_status=old_status, via=via,
        data={"revision": result.revision, "values": result.values, "not_applicable": result.not_applicable},
    )
    return SaveOutcome(result, evaluation)


def _check_complete(result: ItemResult) -> ItemEvaluation:
    evaluation = refresh_verdict(result)
    if evaluation.errors or not evaluation.complete:
        raise IncompleteError([r for r in evaluation.reasons if r] or [_("请先填写完整")])
    return evaluation


@transaction.atomic
def item_submit(
    *, result: ItemResult, user, via: str = "web", require_complete: bool = True
) -> ItemResult:
    """Submit a complete item for district review (a failing but honest answer may be submitted).

    `require_complete=False` is for a results import replaying a verifier's paper decision to return an
    incomplete item: it only passes through "submitted" on its way to "returned".
    """
    result = locked(result)
    authorize(user, result.community, ChecklistAction.SUBMIT, via)
    if result.status == Status.SUBMITTED:
        return result  # a double tap: already done
    old_status = result.status
    new_status = _transition(result, ChecklistAction.SUBMIT)
    if require_complete:
        _check_complete(result)
    else:
        refresh_verdict(result)
    result.status, result.submitted_at, result.updated_by = new_status, timezone.now(), user
    result.save()
    audit.record(result, PAST[ChecklistAction.SUBMIT], user=user, from_status=old_status, via=via)
    return result


@transaction.atomic
def item_withdraw(*, result: ItemResult, user, via: str = "web") -> ItemResult:
    """Take a submitted item back out of the verifier's queue so the worker can correct it.

    It becomes a draft again, or 被退回 with its reason when the verifier's return still stands (it had been
    returned or reopened and was resubmitted, and nobody has decided since): see workflow.AFTER_RETURN.
    """
    result = locked(result)
    authorize(user, result.community, ChecklistAction.WITHDRAW, via)
    old_status = result.status
    result.status = next_status(ChecklistAction.WITHDRAW, result.status, round_open=result.round.is_open,
                                return_stands=bool(result.return_reason))
    result.submitted_at, result.updated_by = None, user
    result.save()
    audit.record(result, PAST[ChecklistAction.WITHDRAW], user=user, from_status=old_status, via=via,
                 reason=result.return_reason if result.status == Status.RETURNED else "")
    return result


def _skip_reason(result: ItemResult | None) -> str | None:
    """Return why 提交全部 leaves this draft or returned item alone, or None when it is to be submitted."""
    if result is None:
        return _(NOT_STARTED)
    if not result.complete:
        # The stored reasons are Chinese (the record); the person reads them in their own language.
        stored = result.evaluation.get("reasons", ())
        reasons = stored if translation.get_language() == settings.LANGUAGE_CODE else evaluate(result).reasons
        return _incomplete([r for r in reasons if r])
    if result.status == Status.RETURNED and not result.changed_since_return:
        return _(UNCHANGED_SINCE_RETURN)
    return None


def _incomplete(reasons: list[str]) -> str:
    if not reasons:
        return _("未填写完整")
    return _("未填写完整：%(reasons)s") % {"reasons": _("；").join(reasons)}


@transaction.atomic
def items_submit_all(*, round_: Round, community: CommunityPage, user) -> SubmitAllOutcome:
    """Submit every complete draft, and every complete returned item changed since its return; say why the
    other drafts and returned items were left alone (submitted and approved items are not touched)."""
    authorize(user, community, ChecklistAction.SUBMIT)
    results = {r.item_number: r for r in ItemResult.objects.filter(round=round_, community=community)}
    outcome = SubmitAllOutcome([], [])
    for number in round_.standard.item_numbers:
        result = results.get(number)
        if result is not None and result.status not in (Status.DRAFT, Status.RETURNED):
            continue
        reason = _skip_reason(result)
        if reason is None:
            try:
                outcome.submitted.append(item_submit(result=result, user=user))
                continue
            except IncompleteError as exc:
                reason = _incomplete(exc.reasons)
            except TransitionError as exc:
                reason = exc.message
        outcome.skipped.append(Skipped(number, reason))
    return outcome
