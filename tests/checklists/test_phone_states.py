"""Honest states on the phone: one chip per item, read-only while submitted until withdrawn, 提交全部 that says
what it skipped, one definition of "complete" in every count, and photos sent as a copy with declared facts."""

import hashlib
import json
import re
import uuid

import pytest

from checklists.decisions import item_approve, item_return
from checklists.evidence import evidence_add
from checklists.models import ChecklistLogEntry, Evidence, ItemResult, Status
from checklists.selectors.mobile import checklist, progress
from checklists.services import answer_save, item_submit
from tests.checklists.photo_factory import make_jpeg
from tests.checklists.test_originals import copy_of, facts

LIGHTS = {"smart_lights": "60", "public_lights": "100", "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"}
JSON = {"accept": "application/json"}


@pytest.fixture
def worker_client(client, worker):
    client.force_login(worker)
    return client


def url(community, *parts):
    return "/c/" + "/".join([community.code, *map(str, parts)]) + "/"


def answered(round_, community, worker, number=8, values=LIGHTS, photo=True):
    result = answer_save(round_=round_, community=community, item_number=number, user=worker, values=values).result
    if photo:
        evidence_add(result=result, user=worker, data=make_jpeg(64, 48, pattern_seed=number), filename="a.jpg")
    result.refresh_from_db()
    return result


def chip(body: str, number: int) -> str:
    start = body.index(f'id="item-{number}"')
    at = body.index("data-chip>", start) + len("data-chip>")
    return body[at:body.index("<", at)]


def test_one_chip_per_item_combines_review_and_rules(worker_client, round_, community, worker, verifier):
    answered(round_, community, worker, 7, {"publish_channels": ["wechat"]}, photo=False)
    item_submit(result=answered(round_, community, worker, 9, {"connected_services": "3", "service_window": "true"}),
                user=worker)
    item_approve(result=item_submit(result=answered(round_, community, worker, 2, {"wireless_on_demand": True}),
                                    user=worker), user=verifier)
    failing = answered(round_, community, worker, 8, {**LIGHTS, "smart_lights": "59"})
    item_approve(result=item_submit(result=failing, user=worker), user=verifier)  # honest, but below 60%
    item_return(result=item_submit(result=answered(round_, community, worker, 19, {"skynet_connected": "true"},
                                                   photo=True), user=worker, require_complete=False),
                user=verifier, reason="缺少监控区域")
    body = worker_client.get(url(community)).content.decode()
    chips = ["草稿·未填完", "待审核", "已审核·达标", "已审核·未达标", "被退回"]
    assert [chip(body, n) for n in (7, 9, 2, 8, 19)] == chips
    assert "已通过" not in body  # no green word beside a failing rule
    assert 'data-count="passed">1<' in body and 'data-count="failed">1<' in body


def test_a_submitted_item_is_read_only_until_withdrawn(worker_client, round_, community, worker):
    result = item_submit(result=answered(round_, community, worker), user=worker)
    body = worker_client.get(url(community, "items", 8)).content.decode()
    assert '<fieldset class="fs" disabled>' in body and "撤回修改" in body and 'value="withdraw"' in body
    save = {"request_id": str(uuid.uuid4()), "base_revision": 1, "round": "2026", "values": LIGHTS}
    response = worker_client.post(url(community, "items", 8, "save"), json.dumps(save),
                                  content_type="application/json", headers=JSON)
    assert response.status_code == 422 and "撤回修改" in response.json()["message"]
    response = worker_client.post(url(community, "items", 8, "withdraw"), headers=JSON)
    data = response.json()
    assert response.status_code == 200 and data["item"]["status"] == "draft" and not data["item"]["locked"]
    assert "已退出审核队列" in data["message"]
    result.refresh_from_db()
    assert result.status == Status.DRAFT and result.submitted_at is None
    entry = ChecklistLogEntry.objects.latest("pk")
    assert (entry.action, entry.from_status, entry.to_status, entry.user) == (
        "checklists.withdrawn", "submitted", "draft", worker)
    again = worker_client.post(url(community, "items", 8, "withdraw"), headers=JSON)
    assert again.status_code == 422 and again.json()["message"] == "该指标尚未提交，无需撤回"


def test_withdraw_from_the_checklist_comes_back_to_the_item_there(worker_client, round_, community, worker):
    item_submit(result=answered(round_, community, worker), user=worker)
    response = worker_client.post(url(community, "items", 8, "withdraw"), {"back": "list"})
    assert response["Location"] == f"/c/{community.code}/#item-8"
    assert "已撤回" in worker_client.get(response["Location"]).content.decode()


def test_an_approved_item_has_no_active_camera_or_buttons(worker_client, round_, community, worker, verifier):
    item_approve(result=item_submit(result=answered(round_, community, worker), user=worker), user=verifier)
    body = worker_client.get(url(community, "items", 8)).content.decode()
    assert 'class="item s-approved"' in body and '<fieldset class="fs" disabled>' in body
    assert "已审核，内容已锁定" in body


def test_submit_all_lists_what_it_skipped_and_why(worker_client, round_, community, worker, verifier):
    answered(round_, community, worker, 8)
    item_return(result=item_submit(result=answered(round_, community, worker, 2, {"wireless_on_demand": True}),
                                   user=worker), user=verifier, reason="照片看不清")
    answered(round_, community, worker, 9, {"connected_services": "3"}, photo=False)
    data = worker_client.post(url(community, "submit-all"), headers=JSON).json()
    assert data["submitted"] == [8] and [i["status"] for i in data["items"]] == ["submitted"]
    skipped = {s["number"]: s["reason"] for s in data["skipped"]}
    assert skipped[2] == "被退回后尚未修改" and skipped[9].startswith("未填写完整：") and skipped[3] == "尚未填写"
    assert "未提交：" in data["message"] and "第2项（被退回后尚未修改）" in data["message"]
    assert ItemResult.objects.get(community=community, item_number=2).return_reason == "照片看不清"
    follow = worker_client.post(url(community, "submit-all"), follow=True).content.decode()  # the plain form
    assert "没有可以提交的项" in follow and "第2项（被退回后尚未修改）" in follow


def test_every_count_uses_the_one_definition_of_complete(worker_client, round_, community, worker):
    answered(round_, community, worker, 9, {"connected_services": "3", "service_window": "true"})
    # An answer the engine calls wrong (three decimals) is not complete, whatever else is filled in.
    wrong = answered(round_, community, worker, 8, {**LIGHTS, "kwh_with_smart": "800.085"})
    assert not wrong.complete and wrong.photos.count() == 1
    view = checklist(round_=round_, community=community)
    stored = progress(round_=round_, community=community, total=25)
    assert view.counts == stored and stored["done"] == 1
    for page in (url(community), url(community, "items", 8), url(community, "items", 9)):
        body = worker_client.get(page).content.decode()
        assert f'已完成 <b data-count="done">{stored["done"]}</b>/<b data-count="total">25</b>' in body, page
    home = worker_client.get("/").content.decode()
    assert f'已完成 <b data-count="done">{stored["done"]}</b>/<b data-count="total">25</b>' in home


def figures(body: str) -> dict[str, int]:
    """The progress line's figures as the page shows them (data-count names what each counts)."""
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', body)}


def test_the_home_card_and_the_checklist_counts_add_up(worker_client, round_, community, worker, verifier):
    """Issue 20: 未达标 is shown, 已完成 leaves out returned and failed items, complete drafts are told apart."""
    answered(round_, community, worker, 7, {"publish_channels": ["wechat"]}, photo=False)  # draft, not complete
    answered(round_, community, worker, 9, {"connected_services": "3", "service_window": "true"})  # ready
    item_approve(result=item_submit(result=answered(round_, community, worker, 2, {"wireless_on_demand": True}),
                                    user=worker), user=verifier)  # passed
    failing = answered(round_, community, worker, 8, {**LIGHTS, "smart_lights": "59"})
    item_approve(result=item_submit(result=failing, user=worker), user=verifier)  # failed
    item_return(result=item_submit(result=answered(round_, community, worker, 19, {"skynet_connected": "true"}),
                                   user=worker, require_complete=False), user=verifier, reason="缺少监控区域")
    cards = worker_client.get("/").content.decode().split('<li class="card home-c')
    home = next(card for card in cards if f"/c/{community.code}/" in card)  # the worker may serve several
    page = worker_client.get(url(community)).content.decode()
    expected = {"done": 2, "total": 25, "unfinished": 21, "ready": 1, "submitted": 0, "returned": 1, "passed": 1,
                "failed": 1}
    for body in (home, page):
        shown = figures(body)
        assert shown == expected
        parts = ("unfinished", "ready", "submitted", "returned", "passed", "failed")
        assert sum(shown[k] for k in parts) == shown["total"]
        assert all(word in body for word in ("已审核·未达标", "草稿·可提交", "草稿·未填完", "已完成"))
    assert chip(page, 9) == "草稿·可提交" and chip(page, 7) == "草稿·未填完"


def test_a_phone_sends_the_copy_and_the_facts_first(worker_client, round_, community, worker):
    answered(round_, community, worker, photo=False)
    original = make_jpeg(2400, 1800, pattern_seed=4)
    copy = copy_of(original)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = worker_client.post(url(community, "items", 8, "photos"), {
        "photo": SimpleUploadedFile("IMG_1.jpg", copy, content_type="image/jpeg"),
        "client_id": str(uuid.uuid4()), "declared": json.dumps(facts(original)),
    }, headers=JSON)
    data = response.json()
    assert response.status_code == 201 and data["photo"]["original_pending"] and data["item"]["complete"]
    photo = Evidence.objects.get()
    assert photo.sha256 == hashlib.sha256(original).hexdigest() and photo.copy.read() == copy
    assert "原图待上传" in worker_client.get(url(community, "items", 8)).content.decode()
    wrong = worker_client.post(data["photo"]["original"], {"original": SimpleUploadedFile("x.jpg", copy)},
                               headers=JSON)
    assert wrong.status_code == 400 and wrong.json()["code"] == "mismatch" and not Evidence.objects.get().original
    right = worker_client.post(data["photo"]["original"], {"original": SimpleUploadedFile("x.jpg", original)},
                               headers=JSON)
    assert right.status_code == 200 and not right.json()["photo"]["original_pending"]
    assert Evidence.objects.get().original.read() == original
    assert "原图待上传" not in worker_client.get(url(community, "items", 8)).content.decode()


def test_bad_declarations_are_refused_and_nothing_is_stored(worker_client, round_, community, worker):
    answered(round_, community, worker, photo=False)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = worker_client.post(url(community, "items", 8, "photos"), {
        "photo": SimpleUploadedFile("a.jpg", make_jpeg(320, 240)), "declared": "{not json",
    }, headers=JSON)
    assert response.status_code == 400 and "照片信息格式有误" in response.json()["message"]
    assert not Evidence.objects.exists()


def test_a_deployment_without_originals_says_so(worker_client, round_, community, worker, settings):
    settings.EVIDENCE_ORIGINALS = "never"
    result = answered(round_, community, worker)
    photo = result.photos.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = worker_client.post(url(community, "items", 8, "photos", photo.pk, "original"),
                                  {"original": SimpleUploadedFile("x.jpg", b"x")}, headers=JSON)
    assert response.status_code == 409 and response.json()["code"] == "never"
