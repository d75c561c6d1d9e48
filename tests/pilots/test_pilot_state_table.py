"""The state table (pilots.workflow.MOVES) against the one write path (services.moves.pilot_move): every move
from every stage, every move by every kind of actor, and every guard; a refusal is a Chinese message and
leaves the pilot, its history, its tasks and its log exactly as they were."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.models import ModelLogEntry

from communities import policy
from communities.models import Role, UnitPage
from pilots import experts, workflow
from pilots.actions import PilotAction
from pilots.models import Pilot
from pilots.selectors import moves_for
from pilots.services import PilotError, applications
from pilots.services.moves import pilot_move
from pilots.stages import TERMINAL, Stage
from pilots.workflow import MOVES, MoveRefused
from tests.factories import CityFactory
from tests.pilots.pilot_factory import Walk, arguments, at_stage, batch, drafted, ready, self_assess

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Who holds each action of the table on a county's pilot (EDIT_APPLICATION is local: never the province's).
ALLOWED = {
    PilotAction.EDIT_APPLICATION: {"city_bureau", "county_bureau", "admin"},
    PilotAction.MANAGE_PILOTS: {"province", "admin"},
}
# 提交申报 is asked of the application, which is the city's (a county's bureau does not submit for the city).
ALLOWED_TO_SUBMIT = {"city_bureau", "admin"}


@pytest.fixture
def walk(assess, bureau, province, county):
    return Walk(bureau, province, assess, county)


@pytest.fixture
def admin(demo):
    return get_user_model().objects.get(username="admin")


@pytest.fixture
def actors(demo, bureau, province, admin, expert, worker, verifier, make_user):
    """Every kind of user, by what they are to a pilot of 示范县 (379921) in 示范市."""
    return {
        "city_bureau": bureau,
        "county_bureau": make_user("county-bureau", Role.BUREAU, UnitPage.objects.get(code="379921")),
        "other_city_bureau": make_user("other-bureau", Role.BUREAU, CityFactory()),
        "province": province,
        "admin": admin,
        "assigned_expert": expert,
        "unassigned_expert": make_user("expert-elsewhere"),
        "worker": worker,
        "verifier": verifier,
    }


def state(pilot: Pilot) -> tuple:
    """Everything a move writes about a pilot."""
    pilot = Pilot.objects.get(pk=pilot.pk)
    entries = ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Pilot),
                                           object_id=str(pilot.pk)).count()
    return (pilot.stage, pilot.revision, pilot.deadline, pilot.granted_star, pilot.history.count(),
            pilot.tasks.count(), pilot.reviews.filter(concluded_at__isnull=False).count(), entries)


class _Undo(Exception):
    """Raised inside a savepoint to roll a successful move back."""


def tried(user, pilot: Pilot, move: str) -> str:
    """Make the move as `user` and undo it; return the stage it reached."""
    try:
        with transaction.atomic():
            raise _Undo(pilot_move(user=user, pilot=pilot, move=move, **arguments(move)).stage)
    except _Undo as undone:
        return undone.args[0]


def refused(exc: pytest.ExceptionInfo) -> str:
    text = " ".join(exc.value.messages)
    assert CHINESE.search(text), text
    return text


# --- the table itself (pure) ----------------------------------------------------------------------------


def test_the_table_allows_a_move_exactly_from_its_sources():
    for move in MOVES:
        for stage in Stage:
            assert (move in workflow.moves_from(stage)) == (stage in move.sources), (move.name, stage)
            if stage in move.sources:
                workflow.check(move, stage)
            else:
                with pytest.raises(MoveRefused, match=f"当前阶段为“{stage.label}”"):
                    workflow.check(move, stage)


def test_every_stage_but_the_terminal_ones_has_a_way_on():
    assert len({move.name for move in MOVES}) == len(MOVES)
    for stage in Stage:
        assert bool(workflow.moves_from(stage)) == (stage not in TERMINAL), stage
    reached = {Stage.DRAFT} | {move.target for move in MOVES}
    assert reached == set(Stage)
    with pytest.raises(MoveRefused, match="没有“fly”这一步"):
        workflow.move_named("fly")


# --- from a wrong stage -----------------------------------------------------------------------------------


@pytest.mark.parametrize("move", MOVES, ids=lambda m: m.name)
def test_a_move_from_any_other_stage_is_refused_and_changes_nothing(move, walk, admin):
    """One cheap pilot per move, its stage written directly for each wrong stage: pilot_move checks the table
    before the move's inputs and guards, so nothing the pilot lacks (a sign-off, a visit) can be what refuses
    it; walking a pilot into each of the 165 (move, stage) pairs through the services would take minutes."""
    pilot = at_stage(walk, Stage.DRAFT)
    for stage in Stage:
        if stage in move.sources:
            continue
        Pilot.objects.filter(pk=pilot.pk).update(stage=stage)
        before = state(pilot)
        with pytest.raises(PilotError) as exc:
            pilot_move(user=admin, pilot=pilot, move=move.name, **arguments(move.name))
        assert refused(exc) == f"当前阶段为“{stage.label}”，不能“{move.label}”", stage
        assert state(pilot) == before, stage


# --- who may make each move ---------------------------------------------------------------------------


@pytest.mark.parametrize("move", MOVES, ids=lambda m: m.name)
def test_who_may_make_each_move(move, walk, actors):
    pilot = at_stage(walk, move.sources[0])
    experts.expert_assign(by=walk.province, application=pilot.application, expert=actors["assigned_expert"])
    pilot = ready(walk, pilot, move.name)  # the assigned expert signs with the panel where a guard asks it
    allowed = ALLOWED_TO_SUBMIT if move.name == "submit" else ALLOWED[move.action]
    before = state(pilot)
    for name, user in actors.items():
        if name in allowed:
            continue
        with pytest.raises(PermissionDenied) as exc:
            pilot_move(user=user, pilot=pilot, move=move.name, **arguments(move.name))
        assert str(exc.value) == policy.refusal(move.action) and CHINESE.search(str(exc.value)), name
        assert move not in moves_for(user, pilot), name
        assert state(pilot) == before, name
    # The others who may are tried and undone; the stage's owner then makes the move for real.
    performer = "province" if move.action == PilotAction.MANAGE_PILOTS else "city_bureau"
    for name in sorted(allowed - {performer}):
        assert move in moves_for(actors[name], pilot), name
        assert tried(actors[name], pilot, move.name) == move.target, name
        assert state(pilot) == before, name
    moved = pilot_move(user=actors[performer], pilot=pilot, move=move.name, **arguments(move.name))
    assert moved.stage == move.target and moved.revision == before[1] + 1
    record = moved.history.order_by("-pk").first()
    assert (record.move, record.source, record.target, record.by) == (
        move.name, move.sources[0], move.target, actors[performer])
    assert moved.history.count() == before[4] + 1


def test_a_county_bureau_has_no_say_over_the_citys_application_or_pilot(walk, actors, city):
    """A county's bureau holds the city's actions on its own county's pilot (自查, 整改, the tasks: the county
    did the work), but the application is the city government's: it cannot add to it, write it or submit it."""
    the_batch = batch(walk.province)
    county_pilot = at_stage(walk, Stage.DRAFT, the_batch)
    self_assess(walk.bureau, walk.round_, city, 250)
    city_pilot = drafted(walk.bureau, walk.round_, city, the_batch)
    application, county_bureau = city_pilot.application, actors["county_bureau"]
    assert county_pilot.application == application
    assert policy.may(county_bureau, PilotAction.EDIT_APPLICATION, county_pilot)
    assert not policy.may(county_bureau, PilotAction.EDIT_APPLICATION, city_pilot)
    assert not policy.may(county_bureau, PilotAction.EDIT_APPLICATION, application)
    for attempt in (
        lambda: applications.report_save(user=county_bureau, application=application, report="县里写的"),
        lambda: applications.application_submit(user=county_bureau, application=application),
        lambda: pilot_move(user=county_bureau, pilot=county_pilot, move="submit"),
        lambda: pilot_move(user=county_bureau, pilot=city_pilot, move="rectified"),
    ):
        with pytest.raises(PermissionDenied, match="只有申报市的大数据局"):
            attempt()
    assert workflow.BY_NAME["submit"] not in moves_for(county_bureau, county_pilot)
    applications.application_submit(user=walk.bureau, application=application)
    assert set(application.pilots.values_list("stage", flat=True)) == {Stage.SUBMITTED}


# --- guards ---------------------------------------------------------------------------------------------


def refused_with(user, pilot: Pilot, move: str, text: str, **args) -> PilotError:
    """Assert the move is refused with `text` in its message and writes nothing."""
    before = state(pilot)
    with pytest.raises(PilotError) as exc:
        pilot_move(user=user, pilot=pilot, move=move, **args)
    assert text in refused(exc)
    assert state(pilot) == before
    return exc.value


def test_submit_needs_the_report(walk):
    pilot = at_stage(walk, Stage.DRAFT)
    applications.report_save(user=walk.bureau, application=pilot.application, report="")
    error = refused_with(walk.bureau, pilot, "submit", "请先填写申请报告")
    assert error.message_dict == {"report": ["请先填写申请报告"]}


def test_formal_review_needs_a_reason_to_return_and_the_current_revision(walk):
    pilot = at_stage(walk, Stage.SUBMITTED)
    error = refused_with(walk.province, pilot, "return", "请填写理由", reason="  ")
    assert error.message_dict == {"reason": ["请填写理由"]}
    refused_with(walk.province, pilot, "accept", "刷新页面", revision=pilot.revision - 1)
    assert pilot_move(user=walk.province, pilot=pilot, move="accept", revision=pilot.revision).stage == Stage.EXPERT


def test_propose_needs_a_signature_and_confirm_a_visit(walk):
    pilot = at_stage(walk, Stage.EXPERT)
    refused_with(walk.province, pilot, "propose", "专家组评分尚未完成：专家组应至少有 3 位专家，目前指派 0 位")
    pilot = pilot_move(user=walk.province, pilot=ready(walk, pilot, "propose"), move="propose")
    refused_with(walk.province, pilot, "confirm", "请先记录现场复核")
    refused_with(walk.province, pilot, "reject", "请先记录现场复核", reason="不符合")


def test_start_midterm_needs_the_published_list(walk):
    pilot = at_stage(walk, Stage.LISTED)
    refused_with(walk.province, pilot, "start_midterm", "试点名单尚未公布")


def test_midterm_needs_the_selfcheck_and_a_signature(walk):
    pilot = at_stage(walk, Stage.MIDTERM)
    refused_with(walk.province, pilot, "midterm_pass", "尚未提交本次考核的自查")
    error = refused_with(walk.province, pilot, "midterm_fail", "请填写理由")
    assert set(error.message_dict) == {"reason", "tasks"}


def test_final_pass_needs_the_target_star_and_final_fail_its_deadline_and_tasks(walk):
    pilot = ready(walk, at_stage(walk, Stage.FINAL), "final_fail")  # signed at 三星, aiming at 四星
    refused_with(walk.province, pilot, "final_pass", "未达到四星", early_reason="提前考核")
    error = refused_with(walk.province, pilot, "final_fail", "请填写整改期限", reason="未达到四星")
    assert set(error.message_dict) == {"deadline", "tasks"}
    args = arguments("final_fail")
    refused_with(walk.province, pilot, "final_fail", "整改任务的期限", reason="未达到四星",
                 deadline=args["tasks"][0].due - datetime.timedelta(days=1), tasks=args["tasks"],
                 early_reason="提前考核")


def test_rectified_needs_every_task_done_and_revocation_the_deadline_passed(walk):
    pilot = at_stage(walk, Stage.RECTIFICATION)
    refused_with(walk.bureau, pilot, "rectified", "1 项整改任务未报告完成")
    refused_with(walk.province, pilot, "revoke_overdue", f"整改期限（{pilot.deadline}）尚未届满", reason="逾期")


def test_rectification_binds_its_deadline_unless_the_province_extends_it(walk):
    """整改完成 after the deadline is refused; then only 逾期收回, or an extension recorded with a reason."""
    pilot = ready(walk, at_stage(walk, Stage.RECTIFICATION), "rectified")
    Pilot.objects.filter(pk=pilot.pk).update(deadline=datetime.date.today() - datetime.timedelta(days=20))
    pilot = Pilot.objects.get(pk=pilot.pk)
    refused_with(walk.bureau, pilot, "rectified", "整改期限（")
    refused_with(walk.province, pilot, "extend", "请填写理由", deadline=pilot.deadline + datetime.timedelta(days=90))
    refused_with(walk.province, pilot, "extend", "整改期限应晚于今天", reason="疫情影响施工",
                 deadline=pilot.deadline + datetime.timedelta(days=1))
    new = datetime.date.today() + datetime.timedelta(days=30)
    pilot = pilot_move(user=walk.province, pilot=pilot, move="extend", reason="疫情影响施工", deadline=new)
    record = pilot.history.order_by("-pk").first()
    assert (pilot.stage, pilot.deadline, record.move, record.reason) == (Stage.RECTIFICATION, new, "extend",
                                                                         "疫情影响施工")
    refused_with(walk.province, pilot, "extend", "延长后的整改期限应晚于原期限", reason="再延",
                 deadline=new - datetime.timedelta(days=1))
    assert pilot_move(user=walk.bureau, pilot=pilot, move="rectified").stage == Stage.RECHECK


def test_reviews_before_the_notices_dates_need_the_provinces_reason(walk):
    """试点建设一年后开展中期考核，两年后组织终期验收: earlier, only with an explicit reason, kept on the record."""
    pilot = ready(walk, at_stage(walk, Stage.LISTED), "start_midterm")
    error = refused_with(walk.province, pilot, "start_midterm", "试点建设一年后")
    assert list(error.message_dict) == ["early_reason"]
    pilot = pilot_move(user=walk.province, pilot=pilot, move="start_midterm", early_reason="配合全省统一部署")
    assert pilot.history.order_by("-pk").first().early_reason == "配合全省统一部署"
    pilot = pilot_move(user=walk.province, pilot=ready(walk, pilot, "midterm_pass"), move="midterm_pass")
    pilot = ready(walk, pilot, "final_pass")
    refused_with(walk.province, pilot, "final_pass", "试点建设两年后")
    # A year (or two) after listing no reason is asked, and one given anyway is not recorded.
    started = pilot.started_on - datetime.timedelta(days=731)
    Pilot.objects.filter(pk=pilot.pk).update(started_on=started)
    pilot = pilot_move(user=walk.province, pilot=Pilot.objects.get(pk=pilot.pk), move="final_pass",
                       early_reason="多余")
    assert pilot.stage == Stage.GRANTED and pilot.history.order_by("-pk").first().early_reason == ""
