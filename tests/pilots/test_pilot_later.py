"""After the list: the city's 自查 on the review screen, a failed final acceptance whose form keeps what was typed
when the reason is missing, 整改 tasks reported done, the comparison with the application, the index's filters,
overdue flags and reminders, and the dashboard panel."""

import datetime
import re

from django.utils import timezone

from pilots.models import Pilot, StageRecord, Task
from pilots.services import batches, reviews
from pilots.services.moves import pilot_move
from pilots.stages import Stage
from tests.pilots.admin_helpers import buttons, follow, move_url, pilot_url, review_url, text
from tests.pilots.pilot_factory import BANDS, applied, batch, listed, self_assess, signed


def at_final(bureau, province, assess, county) -> Pilot:
    self_assess(bureau, assess, county, BANDS[3])
    pilot = listed(province, applied(bureau, assess, county, batch(province)))
    batches.batch_publish(user=province, batch=pilot.application.batch)
    pilot = pilot_move(user=province, pilot=Pilot.objects.get(pk=pilot.pk), move="start_midterm",
                       early_reason="全省统一安排")
    reviews.selfcheck_submit(user=bureau, pilot=pilot, round_=assess)
    signed(province, pilot, "midterm")
    return pilot_move(user=province, pilot=pilot, move="midterm_pass")


def test_selfcheck_a_failed_final_tasks_and_the_recheck(client, assess, bureau, province, county):
    pilot = at_final(bureau, province, assess, county)
    client.force_login(bureau)
    final = review_url(pilot, "final")
    page = text(client.get(final))
    assert "data-waiting" in page and "提交自查" in page and "签字确认评分" not in page
    page = follow(client, client.post(final + "selfcheck/", {"round": assess.pk, "note": "终期自查"}))
    assert "已提交自查" in page and "data-self-total>250<" in page and "<select" not in page.split("data-score")[1]
    assert client.post(final, {"p1": "0", "sign": "1"}).status_code == 403  # a city never scores or signs

    signed(province, pilot, "final")
    client.force_login(province)
    page = text(client.get(pilot_url(pilot)))
    assert buttons(page) == ["final_pass", "final_fail"] and "提前考核" in page
    early = text(client.post(move_url(pilot, "final_pass"), {"revision": Pilot.objects.get().revision}))
    assert "试点建设两年后" in early and "提前考核须说明理由" in early
    refused = text(client.post(move_url(pilot, "final_pass"), {"revision": Pilot.objects.get().revision,
                                                               "early_reason": "全省统一安排"}))
    assert "专家组平均分 250.00 分（三星），未达到四星，不能通过" in refused
    due = (timezone.localdate() + datetime.timedelta(days=45)).isoformat()
    form = {"revision": Pilot.objects.get().revision, "reason": "", "deadline": due, "early_reason": "全省统一安排",
            "task_title_1": "完善城市大脑数据共享", "task_due_1": due, "task_title_2": "", "task_due_2": ""}
    missing = text(client.post(move_url(pilot, "final_fail"), form))
    assert "请填写理由" in missing and 'value="完善城市大脑数据共享"' in missing and f'value="{due}"' in missing
    no_date = text(client.post(move_url(pilot, "final_fail"), {**form, "reason": "未达到四星", "task_due_1": ""}))
    assert "每项整改任务都要有内容和期限" in no_date and not Task.objects.exists()
    page = follow(client, client.post(move_url(pilot, "final_fail"), {**form, "reason": "未达到四星"}))
    assert "现为“限期整改”" in page and "完善城市大脑数据共享" in page and "未达到四星" in page
    assert StageRecord.objects.filter(move="final_fail").get().deadline.isoformat() == due

    client.force_login(bureau)
    page = text(client.get(pilot_url(pilot)))
    assert buttons(page) == ["rectified"] and "报告完成" in page
    early = text(client.post(move_url(pilot, "rectified"), {"revision": Pilot.objects.get().revision}))
    assert "还有 1 项整改任务未报告完成" in early
    task = Task.objects.get()
    empty = follow(client, client.post(f"/admin/pilots/tasks/{task.pk}/report/", {"note": ""}))
    assert "请填写整改完成情况" in empty and Task.objects.get().done_at is None
    page = follow(client, client.post(f"/admin/pilots/tasks/{task.pk}/report/", {"note": "平台已上线"}))
    assert "已报告完成：完善城市大脑数据共享" in page and "报告完成： 平台已上线" in " ".join(page.split())
    follow(client, client.post(move_url(pilot, "rectified"), {"revision": Pilot.objects.get().revision}))
    self_assess(bureau, assess, county, BANDS[4])
    recheck = review_url(pilot, "recheck")
    page = follow(client, client.post(recheck + "selfcheck/", {"round": assess.pk}))
    assert "data-self-total>380<" in page and "data-comparison" in page
    comparison = " ".join(re.search(r"<section data-comparison>(.*?)</section>", page, re.S).group(1).split())
    assert "自评得分 250分 → 380分" in comparison and "提高： 第" in comparison
    assert "回落： 第1项 家庭光纤入户率（10 → 8）" in comparison

    signed(province, pilot, "recheck")
    client.force_login(province)
    page = follow(client, client.post(move_url(pilot, "recheck_pass"), {"revision": Pilot.objects.get().revision}))
    assert "data-granted>授星 四星<" in page and Pilot.objects.get().stage == Stage.GRANTED
    concluded = text(client.get(review_url(pilot, "final")))
    assert "（只读）" in concluded and "保存并签字确认" not in concluded and "<select" not in concluded
    timeline = text(client.get(pilot_url(pilot)))
    assert timeline.count("data-early") == 2 and "提前考核：全省统一安排" in timeline


def test_the_index_filters_flags_overdue_and_reminds(client, assess, bureau, province, city, county):
    self_assess(bureau, assess, county, BANDS[3])
    the_batch = batch(province)
    pilot = applied(bureau, assess, county, the_batch)
    Pilot.objects.filter(pk=pilot.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(province)
    page = text(client.get("/admin/pilots/"))
    row = re.search(rf'<tr data-pilot="{pilot.pk}"[^>]*>', page).group(0)
    assert 'class="pl-late"' in row and 'data-overdue="3"' in row and "已逾期 3 天" in page
    due = re.search(r"<section class=\"pl-due\" data-due>(.*?)</section>", page, re.S).group(1)
    assert "示范县 · 四星试点 · 形式审查" in due and "已逾期 3 天" in due
    assert re.search(r'data-count="submitted">形式审查 1<', page)
    assert 'href="/admin/pilots/export/"' in page and 'href="/admin/pilots/batches/"' in page
    for query, shown in ((f"?stage=submitted&batch={the_batch.pk}", True), ("?stage=listed", False)):
        listing = text(client.get("/admin/pilots/" + query)).split('data-pilots="all"')[1]
        assert (f'data-pilot="{pilot.pk}"' in listing) is shown, query
    home = text(client.get("/admin/"))
    assert "试点截止提醒" in home and "示范县 · 四星试点 · 形式审查" in home
    client.force_login(bureau)
    page = text(client.get("/admin/pilots/"))
    assert "data-queue" not in page and "导出阶段记录" not in page and "试点截止提醒" in text(client.get("/admin/"))
    pilot_move(user=province, pilot=Pilot.objects.get(pk=pilot.pk), move="return", reason="材料不全")
    Pilot.objects.filter(pk=pilot.pk).update(deadline=timezone.localdate() + datetime.timedelta(days=200))
    assert "试点截止提醒" not in text(client.get("/admin/"))  # nothing due: no panel
