"""The pilot screens walked over HTTP as people use them: a city bureau assembles and submits an application, the
province reviews it, assigns an expert who scores and signs, records the visit, confirms and publishes the list;
bad input is shown on the form with the rest kept; a double submit is refused; the buttons follow the policy."""

import datetime
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pilots import selectors
from pilots.models import Adjustment, Application, ApplicationFile, Batch, Pilot, SiteVisit, StageRecord
from pilots.services import batches
from pilots.stages import Stage
from tests.pilots.admin_helpers import (
    PDF,
    buttons,
    follow,
    form_of,
    jpeg,
    move_url,
    pilot_url,
    review_url,
    self_points,
    text,
)
from tests.pilots.pilot_factory import BANDS, applied, batch, listed, self_assess
from tests.site.private_file_checks import assert_private_file

INDEX = "/admin/pilots/"


def test_a_city_bureau_assembles_and_submits_its_application(client, assess, bureau, province, city):
    self_assess(bureau, assess, city, BANDS[3])
    the_batch = batch(province)
    client.force_login(bureau)
    index = text(client.get(INDEX))
    assert "开始申报" in index and '"/admin/pilots/"' in text(client.get("/admin/"))
    start = re.search(r'action="(/admin/pilots/batches/\d+/apply/\d+/)"', index).group(1)
    page = follow(client, client.post(start))
    application = Application.objects.get()
    assert f"已开始示范市的{the_batch.name}申报" in page and "尚未加入试点" in page
    add = f"/admin/pilots/applications/{application.pk}/pilots/"
    refused = text(client.post(add, {"region": city.pk, "target_star": 5, "round": assess.pk}))
    assert "示范市自评为三星" in refused and "申报五星试点需达到四星" in refused
    assert re.search(rf'<option value="{city.pk}" selected>', refused) and not Pilot.objects.exists()
    page = follow(client, client.post(add, {"region": city.pk, "target_star": 4, "round": assess.pk}))
    assert "已将示范市列入申报（四星试点）" in page and "250分 · 三星" in page
    report = f"/admin/pilots/applications/{application.pk}/report/"
    assert "已保存申请报告" in follow(client, client.post(report, {"report": "示范市申请报告正文"}))
    materials = f"/admin/pilots/applications/{application.pk}/materials/"
    bad = follow(client, client.post(materials, {"file": SimpleUploadedFile("说明.txt", b"hello")}))
    assert "只能上传 PDF" in bad and not ApplicationFile.objects.exists()
    page = follow(client, client.post(materials, {"file": SimpleUploadedFile("方案.pdf", PDF)}))
    material = ApplicationFile.objects.get()
    assert "已上传 方案.pdf" in page and f"/admin/pilots/materials/{material.pk}/" in page
    download = client.get(f"/admin/pilots/materials/{material.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert_private_file(download, download=True, filename="%E6%96%B9%E6%A1%88.pdf")
    confirm = text(client.get(f"/admin/pilots/applications/{application.pk}/submit/"))
    assert "确认提交" in confirm and "示范市 · 四星试点" in confirm
    submit = f"/admin/pilots/applications/{application.pk}/submit/"
    page = follow(client, client.post(submit))
    assert "申报已提交，进入形式审查" in page and "保存申请报告" not in page and "示范市申请报告正文" in page
    again = follow(client, client.post(submit))
    assert "申报已提交" in again and StageRecord.objects.count() == 1
    assert Pilot.objects.get().stage == Stage.SUBMITTED


def test_the_province_reviews_assigns_an_expert_who_scores_and_signs(client, assess, bureau, province, city,
                                                                    expert, settings):
    settings.PILOT_MIN_EXPERTS = 1  # a panel of one here; panels of three: test_pilot_experts, test_pilot_review_page
    self_assess(bureau, assess, city, BANDS[3])
    pilot = applied(bureau, assess, city, batch(province))
    client.force_login(province)
    index = text(client.get(INDEX))
    queue = re.search(r"<section data-queue>(.*?)</section>", index, re.S).group(1)
    assert f'data-pilot="{pilot.pk}"' in queue and "待形式审查（1）" in index
    page = text(client.get(pilot_url(pilot)))
    assert buttons(page) == [m.name for m in selectors.moves_for(province, pilot)] == ["return", "accept"]
    missing = text(client.post(move_url(pilot, "return"), {"revision": pilot.revision, "reason": "  "}))
    assert "请填写理由" in missing and Pilot.objects.get().stage == Stage.SUBMITTED
    page = follow(client, client.post(move_url(pilot, "accept"), {"revision": pilot.revision}))
    assert "形式审查通过，进入专家评估：示范市现为“专家评估”" in page
    twice = text(client.post(move_url(pilot, "accept"), {"revision": pilot.revision}))
    assert "该试点刚被他人更新过，请刷新页面后再操作" in twice
    assert StageRecord.objects.filter(move="accept").count() == 1

    assign = f"/admin/pilots/applications/{pilot.application_id}/experts/"
    application = text(client.get(f"/admin/pilots/applications/{pilot.application_id}/"))
    offered = re.findall(r'<option value="(\w+)">', application.split("data-expert-form")[1])
    assert offered == ["expert"]  # pool members only
    confirm = text(client.get(assign, {"expert": "expert"}))
    assert "确认指派" in confirm and "王专家" in confirm and "山东大学" in confirm
    assert not pilot.application.experts.exists()  # a GET only asks
    page = follow(client, client.post(assign, {"expert": "expert"}))
    assert "已指派评估专家 王专家" in page

    client.force_login(expert)
    assert [row for row in re.findall(r'data-pilot="(\d+)"', text(client.get(INDEX)))] == [str(pilot.pk)]
    review = review_url(pilot, "application")
    page = text(client.get(review))
    assert page.count("data-indicator=") == 49 and 'data-self-total>250<' in page and "已评 0/49" in page
    data = {**form_of(page), **self_points(page)}
    allowed = re.findall(r'<option value="(-?\d+)"', re.search(r'<select name="p1".*?</select>', page,
                                                                re.S).group(0))
    given = int(data["p1"])
    lower = max(p for p in map(int, allowed) if p < given)
    bad = text(client.post(review, {**data, "p1": lower, "r1": ""}))
    assert "与自评分不同，请说明理由" in bad and not Adjustment.objects.exists()
    assert re.search(rf'<option value="{lower}" selected', re.search(r'<select name="p1".*?</select>', bad,
                                                                     re.S).group(0))
    page = follow(client, client.post(review, {**data, "p1": lower, "r1": "证明材料不足"}))
    assert "已保存评分（49 项有变化）" in page and f"data-own-total>{250 - given + lower}<" in page
    page = follow(client, client.post(review, {**data, "p1": lower, "r1": "证明材料不足", "sign": "1"}))
    assert "已签字确认评分" in page and re.search(r'data-member="expert".*?已签字', page, re.S)

    client.force_login(province)
    page = follow(client, client.post(move_url(pilot, "propose"), {"revision": Pilot.objects.get().revision}))
    assert "现为“现场复核”" in page and "记录现场复核" in page
    visit = f"/admin/pilots/{pilot.pk}/visits/"
    today = timezone.localdate().isoformat()
    bad = text(client.post(visit, {"visited_on": today, "members": "", "findings": "与材料一致"}))
    assert "请填写复核人员" in bad and "与材料一致" in bad and not SiteVisit.objects.exists()
    photo = SimpleUploadedFile("现场.jpg", jpeg(), content_type="image/jpeg")
    page = follow(client, client.post(visit, {"visited_on": today, "members": "张三、李四", "findings": "属实",
                                              "photos": [photo]}))
    thumb = re.search(r'<img src="(/admin/pilots/photos/\d+/thumb/)"', page).group(1)
    assert "已记录现场复核" in page and client.get(thumb)["Content-Type"] == "image/jpeg"
    assert_private_file(client.get(thumb), download=False)
    page = follow(client, client.post(move_url(pilot, "confirm"), {"revision": Pilot.objects.get().revision}))
    assert "现为“列入名单”" in page and buttons(page) == ["start_midterm"]
    early = text(client.post(move_url(pilot, "start_midterm"), {"revision": Pilot.objects.get().revision}))
    assert "试点名单尚未公布" in early and Pilot.objects.get().stage == Stage.LISTED


def test_a_city_bureau_cannot_make_the_provinces_moves(client, assess, bureau, province, city):
    self_assess(bureau, assess, city, BANDS[3])
    pilot = applied(bureau, assess, city, batch(province))
    client.force_login(bureau)
    page = text(client.get(pilot_url(pilot)))
    assert buttons(page) == [m.name for m in selectors.moves_for(bureau, pilot)] == []
    for move in ("accept", "return"):
        response = client.post(move_url(pilot, move), {"revision": pilot.revision, "reason": "x"})
        assert response.status_code == 403
        assert "只有省大数据局或管理员可以办理试点的审查、评估和验收" in response.content.decode()
    assert Pilot.objects.get().stage == Stage.SUBMITTED and StageRecord.objects.count() == 1
    assert client.get("/admin/pilots/batches/").status_code == 403
    assert client.get(f"/admin/pilots/applications/{pilot.application_id}/").status_code == 200


def test_batches_are_created_edited_and_published_with_a_confirm(client, assess, bureau, province, county):
    client.force_login(province)
    today = timezone.localdate()
    form = {"year": today.year, "name": "首批", "apply_by": (today + datetime.timedelta(days=30)).isoformat(),
            "list_by": today.isoformat()}
    bad = text(client.post("/admin/pilots/batches/new/", form))
    assert "名单公布截止日期不能早于申报截止日期" in bad and 'value="首批"' in bad and not Batch.objects.exists()
    form["list_by"] = (today + datetime.timedelta(days=60)).isoformat()
    page = follow(client, client.post("/admin/pilots/batches/new/", form))
    the_batch = Batch.objects.get()
    assert "已保存首批" in page and f'data-batch="{today.year}"' in page
    edit = f"/admin/pilots/batches/{the_batch.pk}/"
    assert 'value="首批"' in text(client.get(edit))
    follow(client, client.post(edit, {**form, "name": f"{today.year}年度第一批"}))
    assert Batch.objects.get().name == f"{today.year}年度第一批"
    refused = follow(client, client.post(edit + "publish/"))
    assert "没有列入名单的试点" in refused and Batch.objects.get().published_at is None
    self_assess(bureau, assess, county, BANDS[3])
    listed(province, applied(bureau, assess, county, the_batch))
    confirm = text(client.get(edit + "publish/"))
    assert "确认公布" in confirm and "1 个试点" in confirm and f"/pilots/{today.year}/" in confirm
    page = follow(client, client.post(edit + "publish/"))
    assert f"公开页面：/pilots/{today.year}/" in page and f'href="/pilots/{today.year}/" data-public' in page
    assert Batch.objects.get().published_at is not None
    assert Pilot.objects.get().started_on == today


def test_a_move_that_cannot_be_made_yet_says_why_beside_its_disabled_button(assess, bureau, province, city, client):
    self_assess(bureau, assess, city, BANDS[3])
    pilot = listed(province, applied(bureau, assess, city, batch(province)))
    client.force_login(province)
    page = client.get(f"/admin/pilots/{pilot.pk}/").content.decode()
    start = page.index('data-move="start_midterm"')
    block = page[start:page.index("</div>", start)]
    assert "data-blocked" in block and "disabled" in block and "试点名单尚未公布" in block
    batches.batch_publish(user=province, batch=pilot.application.batch)
    page = client.get(f"/admin/pilots/{pilot.pk}/").content.decode()
    start = page.index('data-move="start_midterm"')
    assert "data-blocked" not in page[start - 80:start + 200]
