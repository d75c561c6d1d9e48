"""Builders for pilot tests: a self-assessment reaching a given total, a batch, an application with pilots, and a
pilot walked to a stage through the services (never by writing the stage directly)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments import services as assessment_services
from assessments.regions import Region
from audit.actors import system
from communities.models import CityPage
from pilots import experts, scores
from pilots.actions import PilotAction
from pilots.models import Batch, Expert, Pilot
from pilots.panel import min_experts
from pilots.services import applications, batches, pool, reviews, visits
from pilots.services.moves import TaskInput, pilot_move
from pilots.services.reviews import MarkInput
from pilots.stages import REVIEW_OF_STAGE, Stage
from pilots.workflow import BY_NAME
from standards.models import Round
from tests.standards.scoring_factory import values_for_total

BANDS = {3: 250, 4: 380, 5: 470}  # a total inside each star's band


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pool_expert(user, *, name: str = "", organisation: str = "山东大学", city=None, by=None) -> Expert:
    """Put the user into the expert pool (as the province would)."""
    return pool.expert_add(by=by or system("tests"), user=user, name=name or f"专家{user.get_username()}",
                           organisation=organisation, field="智慧城市", city=city)


PANEL = ("panel-1", "panel-2", "panel-3", "panel-4", "panel-5")


def panel(by, application) -> list:
    """Assign the application a panel of PILOT_MIN_EXPERTS pool experts (created once), as the province does."""
    users = []
    for username in PANEL[:min_experts()]:
        user, _ = get_user_model().objects.get_or_create(username=username)
        if not Expert.objects.filter(user=user).exists():
            pool_expert(user, name=f"评审专家{username[-1]}")
        experts.expert_assign(by=by, application=application, expert=user)
        users.append(user)
    return users


def judge(expert, review, points: dict[int, int] | None = None, *, sign: bool = True) -> None:
    """Score every indicator as self-assessed (or `points` where given, with a reason) and sign, as `expert`."""
    marks = {i["number"]: MarkInput(i["points"]) for i in scores.indicators(review.snapshot.data["document"])}
    for number, given in (points or {}).items():
        marks[number] = MarkInput(given, "专家复核意见")
    reviews.review_save(user=expert, review=review, marks=marks)
    if sign:
        reviews.sign_off(user=expert, review=review)


def self_assess(user, round_: Round, region: Region, total: int) -> None:
    """Enter values whose points add up to `total` for the region (a note over community-derived ones)."""
    for number, values in values_for_total(region.level, total).items():
        assessment_services.indicator_save(user=user, round_=round_, region=region, number=number,
                                           values=values, note="自有统计数据")


def attach(bureau, application) -> None:
    """Attach one 证明材料 (a submission needs one), once."""
    if not application.materials.filter(removed_at__isnull=True).exists():
        applications.material_attach(user=bureau, application=application, data=PDF, filename="证明材料.pdf")


def batch(user, year: int | None = None) -> Batch:
    today = timezone.localdate()
    return batches.batch_create(user=user, year=year or today.year, name=f"{year or today.year}年度",
                                apply_by=today + datetime.timedelta(days=30),
                                list_by=today + datetime.timedelta(days=90))


def applied(bureau, round_: Round, region: Region, the_batch: Batch, target: int = 4, city=None) -> Pilot:
    """Return a submitted pilot of the region (its self-assessment one star below the target)."""
    city = city or CityPage.objects.get(code=region.city_code)
    application = applications.application_start(user=bureau, batch=the_batch, city=city)
    pilot = applications.pilot_add(user=bureau, application=application, region=region, target_star=target,
                                   round_=round_)
    applications.report_save(user=bureau, application=application, report="申请报告正文")
    attach(bureau, application)
    applications.application_submit(user=bureau, application=application)
    pilot.refresh_from_db()
    return pilot


def signed(province, pilot: Pilot, kind: str):
    """The province completes the panel; every assigned expert who has not signed judges what they left open at
    the self-assessed points, and signs."""
    review = pilot.reviews.get(kind=kind)
    panel(province, pilot.application)
    for assignment in pilot.application.experts.select_related("expert"):
        expert = assignment.expert
        if review.signoffs.filter(expert=expert).exists():
            continue
        open_ = set(reviews.unjudged(review, expert))
        marks = {i["number"]: MarkInput(i["points"]) for i in scores.indicators(review.snapshot.data["document"])
                 if i["number"] in open_}
        reviews.review_save(user=expert, review=review, marks=marks)
        reviews.sign_off(user=expert, review=review)
    return review


def listed(province, pilot: Pilot) -> Pilot:
    """Walk a submitted pilot through formal review, experts, on-site check to the list."""
    pilot = pilot_move(user=province, pilot=pilot, move="accept")
    signed(province, pilot, "application")
    pilot = pilot_move(user=province, pilot=pilot, move="propose")
    visits.visit_record(user=province, pilot=pilot, visited_on=timezone.localdate(), members="张三、李四",
                        findings="与申报材料一致")
    return pilot_move(user=province, pilot=pilot, move="confirm")


def tasks(days: int = 30) -> list[TaskInput]:
    return [TaskInput("完善城市大脑数据共享", timezone.localdate() + datetime.timedelta(days=days))]


def drafted(bureau, round_: Round, region: Region, the_batch: Batch, target: int = 4) -> Pilot:
    """Return a pilot in 申报 (added, report written, not submitted)."""
    city = CityPage.objects.get(code=region.city_code)
    application = applications.application_start(user=bureau, batch=the_batch, city=city)
    pilot = applications.pilot_add(user=bureau, application=application, region=region, target_star=target,
                                   round_=round_)
    applications.report_save(user=bureau, application=application, report="申请报告正文")
    attach(bureau, application)
    return pilot


@dataclass(frozen=True)
class Walk:
    """Who walks a pilot through the stages: the city's bureau, the province (also signing as expert)."""

    bureau: object
    province: object
    round_: Round
    region: Region


def arguments(move: str) -> dict:
    """Return what a move needs (a reason, a deadline, 整改 tasks) as the table says."""
    step = BY_NAME[move]
    args: dict = {}
    if step.reason:
        args["reason"] = f"{step.label}的理由"
    if step.deadline:
        args["deadline"] = timezone.localdate() + datetime.timedelta(days=60)
    if step.tasks:
        args["tasks"] = tasks()
    if step.early_before_years:
        args["early_reason"] = "省里统一安排提前考核"
    if move == "extend":
        args["deadline"] = timezone.localdate() + datetime.timedelta(days=90)
    return args


def _selfcheck_signed(walk: Walk, pilot: Pilot, total: int | None = None) -> None:
    if total is not None:
        self_assess(walk.bureau, walk.round_, walk.region, total)
    reviews.selfcheck_submit(user=walk.bureau, pilot=pilot, round_=walk.round_)
    signed(walk.province, pilot, REVIEW_OF_STAGE[Stage(pilot.stage)])


def ready(walk: Walk, pilot: Pilot, move: str) -> Pilot:
    """Meet what the move's guard asks of the pilot in its current stage (sign-off, visit, publication …)."""
    if move == "propose":
        signed(walk.province, pilot, "application")
    elif move == "confirm" or move == "reject" and pilot.stage == Stage.ONSITE:
        visits.visit_record(user=walk.province, pilot=pilot, visited_on=timezone.localdate(), members="张三、李四",
                            findings="与申报材料一致")
    elif move == "start_midterm":
        batches.batch_publish(user=walk.province, batch=pilot.application.batch)
    elif move in ("midterm_pass", "midterm_fail", "final_fail", "recheck_fail"):
        _selfcheck_signed(walk, pilot)
    elif move in ("final_pass", "recheck_pass"):
        _selfcheck_signed(walk, pilot, BANDS[pilot.target_star])
    elif move == "rectified":
        for task in pilot.tasks.filter(done_at__isnull=True):
            reviews.task_report(user=walk.bureau, task=task, note="已按要求完成")
    elif move == "revoke_overdue":
        # The 整改 deadline must lie in the future when it is set; to stand after it, move it back (setup only).
        Pilot.objects.filter(pk=pilot.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    return Pilot.objects.get(pk=pilot.pk)


# How each stage is reached: the stage before it and the move from there (a shortest walk through the table).
ROUTE = {
    Stage.EXPERT: (Stage.SUBMITTED, "accept"),
    Stage.ONSITE: (Stage.EXPERT, "propose"),
    Stage.NOT_LISTED: (Stage.EXPERT, "reject"),
    Stage.LISTED: (Stage.ONSITE, "confirm"),
    Stage.MIDTERM: (Stage.LISTED, "start_midterm"),
    Stage.FINAL: (Stage.MIDTERM, "midterm_pass"),
    Stage.RECTIFICATION: (Stage.FINAL, "final_fail"),
    Stage.RECHECK: (Stage.RECTIFICATION, "rectified"),
    Stage.GRANTED: (Stage.FINAL, "final_pass"),
    Stage.REVOKED: (Stage.RECHECK, "recheck_fail"),
}


def actor(walk: Walk, move: str):
    return walk.bureau if BY_NAME[move].action == PilotAction.EDIT_APPLICATION else walk.province


def at_stage(walk: Walk, stage: Stage, the_batch: Batch | None = None) -> Pilot:
    """Return a pilot of walk.region in `stage`, walked there through the services (self-assessed at 三星)."""
    if stage in (Stage.DRAFT, Stage.SUBMITTED):
        the_batch = the_batch or batch(walk.province)
        self_assess(walk.bureau, walk.round_, walk.region, BANDS[3])
        build = drafted if stage == Stage.DRAFT else applied
        return build(walk.bureau, walk.round_, walk.region, the_batch)
    before, move = ROUTE[stage]
    pilot = ready(walk, at_stage(walk, before, the_batch), move)
    return pilot_move(user=actor(walk, move), pilot=pilot, move=move, **arguments(move))
