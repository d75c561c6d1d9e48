"""The experts' work on a review (points beside the self-assessed ones, with a reason, and a signature), the
city's 自查 for a midterm, final or rectification review, and its report on 整改 tasks."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from assessments import services as assessment_services
from assessments.regions import region_of_page
from communities import policy
from standards.models import Round

from .. import scores
from ..actions import PilotAction
from ..models import Adjustment, Pilot, Review, SignOff, Task
from ..stages import REVIEW_OF_STAGE, ReviewKind, Stage
from . import PilotError
from .moves import REASON_MAX, review_score

ADJUSTED, ADJUSTMENT_CLEARED = "pilots.adjusted", "pilots.adjustment_cleared"
SIGNED, SIGNATURES_WITHDRAWN = "pilots.signed", "pilots.signatures_withdrawn"
SELFCHECK, TASK_REPORTED = "pilots.selfcheck_submitted", "pilots.task_reported"
LOG_ACTIONS = {
    ADJUSTED: "专家调整指标得分", ADJUSTMENT_CLEARED: "专家恢复自评得分", SIGNED: "专家签字确认评分",
    SIGNATURES_WITHDRAWN: "评分变更，已有签字作废", SELFCHECK: "提交自查（自评快照）",
    TASK_REPORTED: "报告整改任务完成",
}


def _scoring(user, review: Review) -> Review:
    review = (Review.objects.select_for_update(of=("self",)).select_related("pilot__region", "snapshot")
              .get(pk=review.pk))
    policy.require(user, PilotAction.SCORE_PILOT, review)
    if review.concluded_at is not None or REVIEW_OF_STAGE.get(Stage(review.pilot.stage)) != review.kind:
        raise PilotError("该评审已结束，评分不能再修改")
    if review.snapshot_id is None:
        raise PilotError("申报市尚未提交本次考核的自查（自评快照）")
    return review


def _withdraw_signatures(user, review: Review, why: str) -> None:
    signed = list(review.signoffs.values_list("expert__username", flat=True))
    if signed:
        review.signoffs.all().delete()
        log(review.pilot, SIGNATURES_WITHDRAWN, user=user, data={"review": review.pk, "kind": review.kind,
                                                                 "experts": signed, "why": why})


@transaction.atomic
def adjust(*, user, review: Review, number: int, points: int | None, reason: str = "") -> Adjustment | None:
    """Give one indicator the experts' points (None: back to the self-assessed points); a change needs a reason
    and withdraws the signatures already given."""
    review = _scoring(user, review)
    document = review.snapshot.data["document"]
    indicator = next((i for i in scores.indicators(document) if i["number"] == number), None)
    if indicator is None:
        raise PilotError({"number": f"没有第{number}项指标"})
    current = Adjustment.objects.filter(review=review, number=number).first()
    before = {"points": current.points, "reason": current.reason} if current else None
    reason = (reason or "").strip()
    if points is None or points == indicator["points"]:
        if current is None:
            return None
        current.delete()
        log(review.pilot, ADJUSTMENT_CLEARED, user=user, data={"review": review.pk, "indicator": number,
                                                               "from": before, "self_points": indicator["points"]})
        _withdraw_signatures(user, review, f"第{number}项恢复自评得分")
        return None
    if problem := scores.points_problem(indicator, points):
        raise PilotError({"points": problem})
    if not reason:
        raise PilotError({"reason": "调整得分必须说明理由"})
    if len(reason) > REASON_MAX:
        raise PilotError({"reason": f"理由不能超过{REASON_MAX}字"})
    if current is not None and current.points == points and current.reason == reason:
        return current
    adjustment = current or Adjustment(review=review, number=number)
    adjustment.points, adjustment.reason, adjustment.by = points, reason, user
    adjustment.save()
    log(review.pilot, ADJUSTED, user=user, data={"review": review.pk, "kind": review.kind, "indicator": number,
                                                 "name": indicator["name"], "self_points": indicator["points"],
                                                 "from": before, "to": {"points": points, "reason": reason}})
    _withdraw_signatures(user, review, f"第{number}项得分调整")
    return adjustment


@transaction.atomic
def sign_off(*, user, review: Review) -> SignOff:
    """Sign the review's points as they stand now."""
    review = _scoring(user, review)
    score = review_score(review)
    signoff, created = SignOff.objects.get_or_create(review=review, expert=user, defaults={
        "total": score.expert_total, "star": score.expert_star})
    if created:
        log(review.pilot, SIGNED, user=user, data={"review": review.pk, "kind": review.kind,
                                                   "self_total": score.self_total, "expert_total": score.expert_total,
                                                   "expert_star": score.expert_star})
    return signoff


@transaction.atomic
def selfcheck_submit(*, user, pilot: Pilot, round_: Round, note: str = "") -> Review:
    """Freeze the city's or county's current self-assessment of `round_` as the 自查 of the open review."""
    pilot = Pilot.objects.select_for_update(of=("self",)).select_related("region").get(pk=pilot.pk)
    policy.require(user, PilotAction.EDIT_APPLICATION, pilot)
    kind = REVIEW_OF_STAGE.get(Stage(pilot.stage))
    if kind is None or kind == ReviewKind.APPLICATION:
        raise PilotError("当前阶段没有需要提交自查的考核")
    review = Review.objects.select_for_update().get(pilot=pilot, kind=kind)
    if review.signoffs.exists():
        raise PilotError("专家已签字确认评分，不能再更换自查")
    region = region_of_page(pilot.region_id)
    label = ReviewKind(kind).label
    snapshot = assessment_services.snapshot_create(user=user, round_=round_, region=region,
                                                   note=(note or f"{label}自查")[:200])
    before = review.snapshot_id
    review.snapshot = snapshot
    review.save(update_fields=["snapshot"])
    review.adjustments.all().delete()
    log(pilot, SELFCHECK, user=user, data={"review": review.pk, "kind": kind, "from": before, "snapshot": snapshot.pk,
                                           "round": round_.code, "total": snapshot.data["contract"]["total"],
                                           "star": snapshot.data["contract"]["star"]})
    return review


@transaction.atomic
def task_report(*, user, task: Task, note: str) -> Task:
    """Report a 整改 task done, with what was done."""
    task = Task.objects.select_for_update(of=("self",)).select_related("pilot").get(pk=task.pk)
    policy.require(user, PilotAction.EDIT_APPLICATION, task)
    note = (note or "").strip()
    if not note:
        raise PilotError({"note": "请填写整改完成情况"})
    if len(note) > REASON_MAX:
        raise PilotError({"note": f"完成情况不能超过{REASON_MAX}字"})
    if task.pilot.stage not in (Stage.FINAL, Stage.RECTIFICATION, Stage.MIDTERM):
        raise PilotError("当前阶段不能再报告整改")
    before = {"done_at": task.done_at.isoformat() if task.done_at else None, "note": task.done_note}
    task.done_at, task.done_note, task.done_by = timezone.now(), note, user
    task.save(update_fields=["done_at", "done_note", "done_by"])
    log(task.pilot, TASK_REPORTED, user=user, data={"task": task.pk, "title": task.title, "from": before,
                                                    "note": note})
    return task
