"""Deadline reminders through `pilot_reminders` and Django's locmem mail backend: 30, 7 and 1 days before and
once overdue, each once, to the stage's owners, in Chinese; nothing for a finished pilot."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from communities.models import Role, UnitPage
from pilots import experts
from pilots.models import Pilot, Reminder
from pilots.stages import Stage
from tests.pilots.pilot_factory import Walk, at_stage, batch


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("pilot_reminders", *args, stdout=out)
    return out.getvalue()


def day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


@pytest.fixture
def mailed(bureau, province, expert, make_user):
    """Give the owners e-mail addresses (the demo accounts have none); return the county's bureau."""
    for user, address in ((bureau, "city@example.cn"), (province, "province@example.cn"),
                          (expert, "expert@example.cn")):
        user.email = address
        user.save(update_fields=["email"])
    county_bureau = make_user("county-bureau", Role.BUREAU, UnitPage.objects.get(code="379921"))
    county_bureau.email = "county@example.cn"
    county_bureau.save(update_fields=["email"])
    make_user("no-mail", Role.BUREAU, UnitPage.objects.get(code="379921"))  # reminded in the admin only
    return county_bureau


def test_a_city_stage_is_reminded_30_7_1_days_before_and_once_overdue(assess, bureau, province, county, mailed):
    pilot = at_stage(Walk(bureau, province, assess, county), Stage.DRAFT)
    deadline = pilot.deadline
    assert deadline == timezone.localdate() + datetime.timedelta(days=30)
    assert run("--date", day(-1)).endswith("已发送 0 条试点截止提醒。\n")  # 31 days before: nothing yet
    preview = run("--dry-run", "--date", day(0))
    assert "将发送：示范县 · 四星试点 · 申报：截止" in preview and "将发送 1 条提醒" in preview
    assert mail.outbox == [] and not Reminder.objects.exists()
    for offset, days_before, when in ((0, 30, "还有 30 天"), (23, 7, "还有 7 天"), (29, 1, "还有 1 天"),
                                      (31, -1, "已逾期 1 天")):
        out = run("--date", day(offset))
        assert f"已发送：示范县 · 四星试点 · 申报：截止 {deadline}（{when}）" in out, out
        assert "已发送 1 条" in out
        assert run("--date", day(offset)).endswith("已发送 0 条试点截止提醒。\n")  # the second run: nothing new
        message = mail.outbox[-1]
        assert sorted(message.to) == ["city@example.cn", "county@example.cn"]
        assert message.subject == f"【智慧城市试点】示范县 · 四星试点 · 申报：截止 {deadline}（{when}）"
        assert message.body.startswith("申报市大数据局：") and str(deadline) in message.body
        assert f"{pilot.application.batch.name}试点" in message.body
        assert Reminder.objects.filter(pilot=pilot, days_before=days_before).count() == 1
    assert len(mail.outbox) == 4
    assert run("--date", day(40)).endswith("已发送 0 条试点截止提醒。\n")  # overdue goes once, not daily


def test_province_and_expert_stages_go_to_their_owners_and_finished_pilots_to_nobody(
        assess, bureau, province, city, county, expert, mailed):
    year = timezone.localdate().year
    submitted = at_stage(Walk(bureau, province, assess, county), Stage.SUBMITTED)
    scored = at_stage(Walk(bureau, province, assess, city), Stage.EXPERT, batch(province, year + 1))
    experts.expert_assign(by=province, application=scored.application, expert=expert)
    finished = at_stage(Walk(bureau, province, assess, county), Stage.NOT_LISTED, batch(province, year + 2))
    # A finished pilot has no deadline; give it one (directly: no service sets it) to show it is still skipped.
    Pilot.objects.filter(pk=finished.pk).update(deadline=scored.deadline)
    assert submitted.deadline == scored.deadline
    out = run("--date", (scored.deadline - datetime.timedelta(days=7)).isoformat())
    assert "已发送 2 条" in out and "未列入名单" not in out
    by_subject = {m.subject: sorted(m.to) for m in mail.outbox}
    assert by_subject == {
        f"【智慧城市试点】示范县 · 四星试点 · 形式审查：截止 {submitted.deadline}（还有 7 天）":
            ["province@example.cn"],
        f"【智慧城市试点】示范市 · 四星试点 · 专家评估：截止 {scored.deadline}（还有 7 天）":
            ["expert@example.cn", "province@example.cn"],
    }
    assert next(m for m in mail.outbox if "专家评估" in m.subject).body.startswith("评估专家：")
    assert not Reminder.objects.filter(pilot=finished).exists()


def test_a_bad_date_is_refused_in_chinese(db):
    with pytest.raises(CommandError, match="日期格式应为 YYYY-MM-DD"):
        run("--date", "2026-13-01")
