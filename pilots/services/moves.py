"""The one write path of a pilot's stage: check the state table, the policy and the move's conditions, then
record the move (StageRecord + log entry), open or conclude the stage's review and set the next deadline."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.actors import log
from communities import policy

from .. import scores, workflow
from ..models import Pilot, Review, SiteVisit, StageRecord, Task
from ..panel import Panel, panel_of
from ..stages import REVIEW_OF_STAGE, TERMINAL, ReviewKind, Stage, star_needed_to_apply, stars, stored
from ..workflow import Move
from . import PilotError

MOVED = "pilots.moved"
REASON_MAX = 2000


@dataclass(frozen=True)
class TaskInput:
    title: str
    due: datetime.date


def today() -> datetime.date:
    return timezone.localdate()


def review_days() -> int:
    return int(getattr(settings, "PILOT_REVIEW_DAYS", 60))


def years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def open_review(pilot: Pilot, kind: str) -> Review:
    """Return the pilot's review of this kind, opened now if it is not there yet."""
    review, _ = Review.objects.get_or_create(pilot=pilot, kind=kind,
                                             defaults={"snapshot": pilot.snapshot if kind == ReviewKind.APPLICATION
                                                       else None})
    return review


def review_score(review: Review, expert=None) -> scores.ReviewScore | None:
    """Return the review's self-assessed points and one expert's (None before the city has submitted its 自查);
    without an expert, the expert points are the self-assessed ones."""
    if review.snapshot_id is None:
        return None
    marks = scores.adjustment_map(review.adjustments.filter(expert=expert)) if expert is not None else {}
    return scores.review_score(review.snapshot.data["document"], marks)


def _review_of(pilot: Pilot) -> Review | None:
    kind = REVIEW_OF_STAGE.get(Stage(pilot.stage))
    return Review.objects.filter(pilot=pilot, kind=kind).select_related("snapshot").first() if kind else None


def _signed(pilot: Pilot) -> Panel:
    """The stage's review has a complete panel: enough experts assigned, and every one of them signed."""
    review = _review_of(pilot)
    result = panel_of(review) if review else None
    if result is None:
        raise PilotError(_("申报市尚未提交本次考核的自查（自评快照），专家无法评分"))
    if result.missing:
        raise PilotError(_("专家组评分尚未完成：%(why)s") % {"why": result.missing})
    return result


def _expert_reaches(pilot: Pilot, star: int) -> None:
    result = _signed(pilot)
    if (result.star or 0) < star:
        raise PilotError(_("专家组平均分 %(mean)s 分（%(star)s），未达到%(needed)s，不能通过") % {
            "mean": result.mean_text, "star": stars(result.star), "needed": stars(star)})


def _eligible(pilot: Pilot) -> None:
    star = pilot.snapshot.data["contract"]["star"] or 0
    needed = star_needed_to_apply(pilot.target_star)
    if star < needed:
        raise PilotError(_("%(region)s自评为%(star)s，申报%(target)s需达到%(needed)s") % {
            "region": pilot.region.title, "star": stars(star), "target": pilot.target_label, "needed": stars(needed)})
    if today() > pilot.application.batch.apply_by:
        raise PilotError(_("%(batch)s申报已于 %(day)s 截止") % {"batch": pilot.application.batch.name,
                                                           "day": pilot.application.batch.apply_by})


def _visited(pilot: Pilot) -> None:
    if not SiteVisit.objects.filter(pilot=pilot).exists():
        raise PilotError(_("请先记录现场复核（日期、人员、复核意见）"))


def _reported(pilot: Pilot) -> None:
    # application_submit checks these too; a direct submit of one pilot must not skip them. The notice: 提交申请报告，
    # 并附相关证明材料.
    if not pilot.application.report:
        raise PilotError({"report": _("请先填写申请报告")})
    if not pilot.application.materials.filter(removed_at__isnull=True).exists():
        raise PilotError({"file": _("请至少上传一份证明材料")})


def _published(pilot: Pilot) -> None:
    if pilot.application.batch.published_at is None:
        raise PilotError(_("试点名单尚未公布"))


def _tasks_done(pilot: Pilot) -> None:
    if pilot.deadline is not None and today() > pilot.deadline:
        raise PilotError(_("整改期限（%(date)s）已过，不能再申请整改验收：由省大数据局决定逾期收回奖补资金，"
                           "或记录理由延长整改期限") % {"date": pilot.deadline.isoformat()})
    open_tasks = Task.objects.filter(pilot=pilot, done_at__isnull=True).count()
    if open_tasks:
        raise PilotError(ngettext("还有 %(n)s 项整改任务未报告完成", "还有 %(n)s 项整改任务未报告完成", open_tasks)
                         % {"n": open_tasks})


def _overdue(pilot: Pilot) -> None:
    if pilot.deadline is None or today() <= pilot.deadline:
        raise PilotError(_("整改期限（%(date)s）尚未届满") % {"date": pilot.deadline})


GUARDS: dict[str, Callable[[Pilot], None]] = {
    "submit": lambda p: (_reported(p), _eligible(p)),
    "propose": lambda p: _expert_reaches(p, star_needed_to_apply(p.target_star)),
    "reject": lambda p: _visited(p) if p.stage == Stage.ONSITE else None,
    "confirm": _visited,
    "start_midterm": _published,
    "midterm_pass": _signed,
    "midterm_fail": _signed,
    "final_pass": lambda p: _expert_reaches(p, p.target_star),
    "final_fail": _signed,
    "rectified": _tasks_done,
    "recheck_pass": lambda p: _expert_reaches(p, p.target_star),
    "recheck_fail": _signed,
    "revoke_overdue": _overdue,
}


def _deadline(pilot: Pilot, target: Stage, given: datetime.date | None) -> datetime.date | None:
    batch = pilot.application.batch
    if target in TERMINAL:
        return None
    if given is not None:
        return given
    if target == Stage.DRAFT:
        return batch.apply_by
    if target in (Stage.SUBMITTED, Stage.EXPERT, Stage.ONSITE):
        return batch.list_by
    if pilot.started_on and target == Stage.LISTED:
        return years_after(pilot.started_on, 1)
    if target == Stage.LISTED:
        return batch.list_by
    if target == Stage.FINAL and pilot.started_on:
        return years_after(pilot.started_on, 2)
    return today() + datetime.timedelta(days=review_days())


def early_until(pilot: Pilot, move: Move) -> datetime.date | None:
    """Return the date from which the move is on time (a year or two after listing), when that is still ahead."""
    if not move.early_before_years or pilot.started_on is None:
        return None
    due = years_after(pilot.started_on, move.early_before_years)
    return due if today() < due else None


def _early_reason(pilot: Pilot, move: Move, given: str) -> str:
    """Return the province's reason for holding the review early ("" when it is not early); refuse none."""
    until = early_until(pilot, move)
    if until is None:
        return ""
    given = (given or "").strip()
    if not given:
        message = _("试点建设%(years)s年后（%(date)s 起）方可“%(label)s”；提前考核须说明理由")
        raise PilotError({"early_reason": message % {
            "years": (_("一"), _("两"))[move.early_before_years - 1], "date": until.isoformat(), "label": move.label}})
    if len(given) > REASON_MAX:
        raise PilotError({"early_reason": _("理由不能超过%(max)s字") % {"max": REASON_MAX}})
    return given


def _extension(pilot: Pilot, move: Move, deadline: datetime.date | None) -> None:
    if move.name == "extend" and deadline is not None and pilot.deadline and deadline <= pilot.deadline:
        raise PilotError({"deadline": _("延长后的整改期限应晚于原期限（%(date)s）") % {
            "date": pilot.deadline.isoformat()}})


def _inputs(move: Move, reason: str, deadline, tasks: Sequence[TaskInput]) -> str:
    reason = (reason or "").strip()
    errors = {}
    if move.reason and not reason:
        errors["reason"] = _("请填写理由")
    if len(reason) > REASON_MAX:
        errors["reason"] = _("理由不能超过%(max)s字") % {"max": REASON_MAX}
    if move.deadline and deadline is None:
        errors["deadline"] = _("请填写整改期限")
    elif move.deadline and deadline <= today():
        errors["deadline"] = _("整改期限应晚于今天")
    if move.tasks and not tasks:
        errors["tasks"] = _("请至少布置一项整改任务（内容和期限）")
    for task in tasks:
        if not task.title.strip() or task.due is None:
            errors["tasks"] = _("每项整改任务都要有内容和期限")
        elif task.due <= today() or (deadline and task.due > deadline):
            errors["tasks"] = _("整改任务的期限应晚于今天，且不晚于整改期限")
    if errors:
        raise PilotError(errors)
    return reason


def _conclude(pilot: Pilot, move: Move) -> Review | None:
    review = _review_of(pilot)
    if review is not None and move.target != pilot.stage:
        review.concluded_at, review.outcome = timezone.now(), move.name
        review.save(update_fields=["concluded_at", "outcome"])
    return review


def _enter(pilot: Pilot, target: Stage) -> None:
    kind = REVIEW_OF_STAGE.get(target)
    if kind is None:
        return
    review = open_review(pilot, kind)
    if kind == ReviewKind.APPLICATION and review.snapshot_id != pilot.snapshot_id:
        # Returned and resubmitted with a new self-assessment: the experts score the new one afresh.
        review.adjustments.all().delete()
        review.signoffs.all().delete()
        review.snapshot, review.concluded_at, review.outcome = pilot.snapshot, None, ""
        review.save()


def blocker(pilot: Pilot, move: Move) -> str:
    """Return why the move's guard would refuse it on the pilot as it stands ("" when nothing does); what the
    actor gives with the move (reason, deadline, tasks) is not judged here."""
    guard = GUARDS.get(move.name)
    try:
        if guard is not None:
            guard(pilot)
    except PilotError as exc:
        return "；".join(exc.messages)
    return ""


def acted_on(move: Move, pilot: Pilot):
    """Return what the actor of `move` must hold its action on: the pilot, or for 提交申报 the application, which
    the city submits in its government's name (a county's bureau holds the city's actions on its own county's
    pilot, never on the city's application)."""
    return pilot.application if move.name == "submit" else pilot


@transaction.atomic
def pilot_move(*, user, pilot: Pilot, move: str, reason: str = "", deadline: datetime.date | None = None,
               tasks: Sequence[TaskInput] = (), revision: int | None = None, early_reason: str = "") -> Pilot:
    """Make one move of the state table on a pilot, as `user`; refuse (PilotError / PermissionDenied) otherwise."""
    step = workflow.move_named(move)
    pilot = (Pilot.objects.select_for_update(of=("self",))  # lock the pilot only, not its batch or region
             .select_related("application__batch", "region", "snapshot").get(pk=pilot.pk))
    policy.require(user, step.action, acted_on(step, pilot))
    if revision is not None and revision != pilot.revision:
        raise PilotError(_("该试点刚被他人更新过，请刷新页面后再操作"))
    try:
        workflow.check(step, pilot.stage)
    except workflow.MoveRefused as exc:
        raise PilotError(str(exc)) from exc
    reason = _inputs(step, reason, deadline, tasks)
    _extension(pilot, step, deadline)
    early_reason = _early_reason(pilot, step, early_reason)
    if guard := GUARDS.get(step.name):
        guard(pilot)
    review = _conclude(pilot, step)
    source = pilot.stage
    for task in tasks:
        Task.objects.create(pilot=pilot, review=review, title=task.title.strip()[:300], due=task.due)
    pilot.stage = step.target
    pilot.deadline = _deadline(pilot, step.target, deadline)
    if step.target == Stage.GRANTED:
        pilot.granted_star = pilot.target_star
    pilot.revision += 1
    pilot.save()
    _enter(pilot, step.target)
    StageRecord.objects.create(pilot=pilot, move=step.name, source=source, target=step.target, reason=reason,
                               deadline=pilot.deadline, by=user, early_reason=early_reason)
    log(pilot, MOVED, actor=user, data={
        "move": step.name, "label": stored(step.label), "from": source, "to": step.target, "reason": reason,
        "early_reason": early_reason,
        "deadline": pilot.deadline.isoformat() if pilot.deadline else None,
        "tasks": [{"title": t.title, "due": t.due.isoformat()} for t in tasks],
        "granted_star": pilot.granted_star,
    })
    return pilot
