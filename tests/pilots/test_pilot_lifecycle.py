"""A city from application to a granted star, and a county through a failed final acceptance, rectification and
acceptance, through the services (the browser walk is in tests/browser/test_pilot_walk.py)."""

import pytest
from django.core import mail
from django.utils import timezone

from pilots import experts, selectors
from pilots.models import Pilot, StageRecord
from pilots.services import PilotError, batches, reviews, visits
from pilots.services.moves import pilot_move
from pilots.stages import Stage
from tests.pilots.pilot_factory import BANDS, applied, batch, judge, listed, self_assess, signed, tasks


def test_city_walks_from_application_to_a_granted_star(assess, bureau, province, city, county, expert):
    self_assess(bureau, assess, city, BANDS[3])
    the_batch = batch(province)
    pilot = applied(bureau, assess, city, the_batch)
    assert pilot.stage == Stage.SUBMITTED
    experts.expert_assign(by=province, application=pilot.application, expert=expert)
    pilot = pilot_move(user=province, pilot=pilot, move="accept")
    review = pilot.reviews.get(kind="application")
    with pytest.raises(PilotError, match="还有 49 项未评"):
        reviews.sign_off(user=expert, review=review)
    judge(expert, review, {1: 0})
    assert review.adjustments.get(expert=expert, number=1).reason == "专家复核意见"
    with pytest.raises(PilotError, match="专家组应至少有 3 位专家，目前指派 1 位"):
        pilot_move(user=province, pilot=pilot, move="propose")
    signed(province, pilot, "application")  # two more pool experts join the panel and sign
    pilot = pilot_move(user=province, pilot=pilot, move="propose")
    visits.visit_record(user=province, pilot=pilot, visited_on=timezone.localdate(), members="张三",
                        findings="属实")
    pilot = pilot_move(user=province, pilot=pilot, move="confirm")
    batches.batch_publish(user=province, batch=the_batch)
    pilot.refresh_from_db()
    assert pilot.started_on is not None
    with pytest.raises(PilotError, match="试点建设一年后"):
        pilot_move(user=province, pilot=pilot, move="start_midterm")
    pilot = pilot_move(user=province, pilot=pilot, move="start_midterm", early_reason="省里统一安排提前考核")
    self_assess(bureau, assess, city, BANDS[4])
    reviews.selfcheck_submit(user=bureau, pilot=pilot, round_=assess)
    signed(province, pilot, "midterm")
    pilot = pilot_move(user=province, pilot=pilot, move="midterm_pass")
    reviews.selfcheck_submit(user=bureau, pilot=pilot, round_=assess)
    signed(province, pilot, "final")
    pilot = pilot_move(user=province, pilot=pilot, move="final_pass", early_reason="省里统一安排提前考核")
    assert pilot.stage == Stage.GRANTED and pilot.granted_star == 4
    assert [r.target for r in StageRecord.objects.filter(pilot=pilot)] == [
        Stage.SUBMITTED, Stage.EXPERT, Stage.ONSITE, Stage.LISTED, Stage.MIDTERM, Stage.FINAL, Stage.GRANTED]
    views = selectors.reviews_of(pilot)
    assert views[-1].comparison is not None and views[-1].comparison.after_total > views[-1].comparison.before_total


def test_county_fails_final_then_passes_rectification(assess, bureau, province, county):
    self_assess(bureau, assess, county, BANDS[3])
    pilot = listed(province, applied(bureau, assess, county, batch(province)))
    batches.batch_publish(user=province, batch=pilot.application.batch)
    pilot = pilot_move(user=province, pilot=Pilot.objects.get(pk=pilot.pk), move="start_midterm",
                       early_reason="提前考核")
    reviews.selfcheck_submit(user=bureau, pilot=pilot, round_=assess)
    signed(province, pilot, "midterm")
    pilot = pilot_move(user=province, pilot=pilot, move="midterm_pass")
    reviews.selfcheck_submit(user=bureau, pilot=pilot, round_=assess)
    signed(province, pilot, "final")
    with pytest.raises(PilotError, match="未达到四星"):
        pilot_move(user=province, pilot=pilot, move="final_pass", early_reason="提前考核")
    due = tasks()
    pilot = pilot_move(user=province, pilot=pilot, move="final_fail", reason="未达到四星", deadline=due[0].due,
                       tasks=due, early_reason="提前考核")
    assert pilot.stage == Stage.RECTIFICATION
    with pytest.raises(PilotError, match="整改任务未报告完成"):
        pilot_move(user=bureau, pilot=pilot, move="rectified")
    reviews.task_report(user=bureau, task=pilot.tasks.get(), note="已完成数据共享平台建设")
    pilot = pilot_move(user=bureau, pilot=pilot, move="rectified")
    self_assess(bureau, assess, county, BANDS[4])
    reviews.selfcheck_submit(user=bureau, pilot=pilot, round_=assess)
    signed(province, pilot, "recheck")
    pilot = pilot_move(user=province, pilot=pilot, move="recheck_pass")
    assert pilot.stage == Stage.GRANTED and pilot.granted_star == 4
    assert len(mail.outbox) == 0
