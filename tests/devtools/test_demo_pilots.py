"""`seed_demo_pilots`: the demo city's application in 专家评估 with a panel of three pool experts, built once."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from communities import policy
from communities.policy import EVERYWHERE
from pilots.actions import PilotAction
from pilots.models import Application, Batch, Pilot, StageRecord
from pilots.selectors import visible_pilots
from pilots.stages import Stage


def test_runs_twice_without_duplicating(round_, demo, scoring_standard, settings):  # noqa: F811
    settings.DEBUG = True
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        call_command("seed_demo_pilots", stdout=out)
        outputs.append(out.getvalue())
    assert "province   province-demo-2026" in outputs[1] and "expert     expert-demo-2026" in outputs[1]
    assert Batch.objects.count() == Application.objects.count() == Pilot.objects.count() == 1
    pilot = Pilot.objects.get()
    assert (pilot.region.title, pilot.stage, pilot.target_star) == ("示范市", Stage.EXPERT, 4)
    assert StageRecord.objects.filter(pilot=pilot).count() == 2
    users = get_user_model().objects
    province, expert = users.get(username="province"), users.get(username="expert")
    assert province.check_password("province-demo-2026") and policy.may(province, PilotAction.MANAGE_PILOTS, EVERYWHERE)
    assert list(visible_pilots(expert)) == [pilot] and policy.may(expert, PilotAction.SCORE_PILOT, pilot.reviews.get())
    assert "expert3    expert3-demo-2026" in outputs[1]
    assert sorted(pilot.application.experts.values_list("expert__pilot_expert__name", flat=True)) == [
        "张专家", "李专家", "王专家"]
    assert pilot.application.materials.count() == 1


def test_refused_outside_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="只能在 DEBUG 模式下运行"):
        call_command("seed_demo_pilots")
