"""The experts' work on a review (each expert's own points beside the self-assessed ones, a reason where they
differ, and a final signature), the city's 自查 for a midterm, final or rectification review, and its report on
整改 tasks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import services as assessment_services
from assessments.regions import region_of_page
from audit.actors import log
from communities import policy
from standards.models import Round

from .. import scores
from ..actions import PilotAction
from ..models import Adjustment, Pilot, Review, SignOff, Task
from ..stages import REVIEW_OF_STAGE, ReviewKind, Stage, stored
from . import PilotError
from .moves import REASON_MAX, review_score

MARKED, SIGNED, SIGNATURES_WITHDRAWN = "pilots.marked", "pilots.signed", "pilots.signatures_withdrawn"
SELFCHECK, TASK_REPORTED = "pilots.selfcheck_submitted", "pilots.task_reported"
# Keys of entries written before the panel (one shared set of adjustments) stay readable on the trail.
ADJUSTED, ADJUSTMENT_CLEARED = "pilots.adjusted", "pilots.adjustment_cleared"
LOG_ACTIONS = {
    MARKED: gettext_lazy("专家保存评分"), SIGNED: gettext_lazy("专家签字确认评分"),
    SIGNATURES_WITHDRAWN: gettext_lazy("评分变更，已有签字作废"), SELFCHECK: gettext_lazy("提交自查（自评快照）"),
    TASK_REPORTED: gettext_lazy("报告整改任务完成"), ADJUSTED: gettext_lazy("专家调整指标得分"),
    ADJUSTMENT_CLEARED: gettext_lazy("专家恢复自评得分"),
}


@dataclass(frozen=True)
class MarkInput:
    """What an expert gave one indicator on the review page: points (None: not judged yet) and the reason."""

    points: int | None
    reason: str = ""


def _scoring(user, review: Review) -> Review:
    review = (Review.objects.select_for_update(of=("self",)).select_related("pilot__region", "snapshot")
              .get(pk=review.pk))
    policy.require(user, PilotAction.SCORE_PILOT, review)
    if review.concluded_at is not None or REVIEW_OF_STAGE.get(Stage(review.pilot.stage)) != review.kind:
        raise PilotError(_("该评审已结束，评分不能再修改"))
    if review.snapshot_id is None:
        raise PilotError(_("申报市尚未提交本次考核的自查（自评快照）"))
    return review


def _checked(indicator: dict, given: MarkInput) -> tuple[dict[str, str], str]:
    """Return the problems with one indicator's input, by field, and the reason cleaned."""
    number, reason = indicator["number"], (given.reason or "").strip()
    if given.points is None:
        return {}, reason
    if problem := scores.points_problem(indicator, given.points):
        return {f"p{number}": problem}, reason
    if given.points != indicator["points"] and not reason:
        return {f"r{number}": _("与自评分不同，请说明理由")}, reason
    if len(reason) > REASON_MAX:
        return {f"r{number}": _("理由不能超过%(max)s字") % {"max": REASON_MAX}}, reason
    return {}, reason


@transaction.atomic
def review_save(*, user, review: Review, marks: Mapping[int, MarkInput]) -> int:
    """Save an expert's points on the whole review page at once (one form): each indicator given points is judged,
    one left empty is not; a point that differs from the self-assessed one needs a reason. Any bad input refuses
    the whole page, named by field (p<N>, r<N>), and saves nothing. Return how many indicators changed."""
    review = _scoring(user, review)
    if SignOff.objects.filter(review=review, expert=user).exists():
        raise PilotError(_("您已签字确认，评分不能再修改"))
    by_number = {i["number"]: i for i in scores.indicators(review.snapshot.data["document"])}
    unknown = sorted(set(marks) - set(by_number))
    if unknown:
        raise PilotError(_("没有第%(n)s项指标") % {"n": unknown[0]})
    errors, cleaned = {}, {}
    for number, given in marks.items():
        problems, reason = _checked(by_number[number], given)
        errors.update(problems)
        cleaned[number] = (given.points, reason)
    if errors:
        raise PilotError(errors)
    current = {m.number: m for m in Adjustment.objects.filter(review=review, expert=user)}
    changes = []
    for number, (points, reason) in sorted(cleaned.items()):
        mark = current.get(number)
        before = {"points": mark.points, "reason": mark.reason} if mark else None
        if points is None:
            if mark is not None:
                mark.delete()
                changes.append({"indicator": number, "from": before, "to": None})
            continue
        if mark is not None and (mark.points, mark.reason) == (points, reason):
            continue
        mark = mark or Adjustment(review=review, expert=user, number=number)
        mark.points, mark.reason = points, reason
        mark.save()
        changes.append({"indicator": number, "self_points": by_number[number]["points"], "from": before,
                        "to": {"points": points, "reason": reason}})
    if changes:
        log(review.pilot, MARKED, actor=user, data={"review": review.pk, "kind": review.kind, "changes": changes})
    return len(changes)


def unjudged(review: Review, user) -> list[int]:
    """Return the numbers of the indicators the expert has not judged yet."""
    done = set(Adjustment.objects.filter(review=review, expert=user).values_list("number", flat=True))
    return [i["number"] for i in scores.indicators(review.snapshot.data["document"]) if i["number"] not in done]


def missing_text(numbers: list[int]) -> str:
    """Say which indicators are still to be judged ("还有 3 项未评：第2、7、9项")."""
    listed = "、".join(str(n) for n in numbers[:12]) + (_("等") if len(numbers) > 12 else "")
    return _("还有 %(n)s 项未评：第%(list)s项") % {"n": len(numbers), "list": listed}


@transaction.atomic
def sign_off(*, user, review: Review) -> SignOff:
    """Sign one's own points once every indicator is judged; a signature is final for the review."""
    review = _scoring(user, review)
    if SignOff.objects.filter(review=review, expert=user).exists():
        raise PilotError(_("您已签字确认"))
    if missing := unjudged(review, user):
        raise PilotError(missing_text(missing))
    score = review_score(review, user)
    signoff = SignOff.objects.create(review=review, expert=user, total=score.expert_total, star=score.expert_star)
    log(review.pilot, SIGNED, actor=user, data={"review": review.pk, "kind": review.kind,
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
        raise PilotError(_("当前阶段没有需要提交自查的考核"))
    review = Review.objects.select_for_update().get(pilot=pilot, kind=kind)
    if review.signoffs.exists():
        raise PilotError(_("专家已签字确认评分，不能再更换自查"))
    region = region_of_page(pilot.region_id)
    label = stored(ReviewKind(kind).label)  # the snapshot's note is stored: in the source language
    snapshot = assessment_services.snapshot_create(user=user, round_=round_, region=region,
                                                   note=(note or f"{label}自查")[:200])
    before = review.snapshot_id
    review.snapshot = snapshot
    review.save(update_fields=["snapshot"])
    review.adjustments.all().delete()
    log(pilot, SELFCHECK, actor=user, data={"review": review.pk, "kind": kind, "from": before, "snapshot": snapshot.pk,
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
        raise PilotError({"note": _("请填写整改完成情况")})
    if len(note) > REASON_MAX:
        raise PilotError({"note": _("完成情况不能超过%(max)s字") % {"max": REASON_MAX}})
    if task.pilot.stage not in (Stage.FINAL, Stage.RECTIFICATION, Stage.MIDTERM):
        raise PilotError(_("当前阶段不能再报告整改"))
    before = {"done_at": task.done_at.isoformat() if task.done_at else None, "note": task.done_note}
    task.done_at, task.done_note, task.done_by = timezone.now(), note, user
    task.save(update_fields=["done_at", "done_note", "done_by"])
    log(task.pilot, TASK_REPORTED, actor=user, data={"task": task.pk, "title": task.title, "from": before,
                                                    "note": note})
    return task
