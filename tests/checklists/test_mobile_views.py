"""The phone checklist: who may open it, what it shows, plain-form and JSON saves, conflicts, submission."""

import json
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checklists.decisions import item_approve, item_return
from checklists.evidence import evidence_add
from checklists.models import ChecklistLogEntry, ItemResult, SaveReceipt, Status
from checklists.services import answer_save, item_submit
from communities.models import CommunityPage
from tests.checklists.photo_factory import make_jpeg

LIGHTS = {"smart_lights": "60", "public_lights": "100", "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"}


@pytest.fixture
def worker_client(client, worker):
    client.force_login(worker)
    return client


@pytest.fixture
def stranger(make_user, other_unit_community):
    """A worker of another community (in another unit)."""
    return make_user("stranger", "worker", other_unit_community)


def url(community, *parts):
    return "/c/" + "/".join([community.code, *map(str, parts)]) + "/"


def post_json(client, path, payload, **headers):
    return client.post(path, json.dumps(payload), content_type="application/json",
                       headers={"accept": "application/json", **headers})


def save_payload(revision=0, request_id=None, **values):
    return {"request_id": str(request_id or uuid.uuid4()), "base_revision": revision, "round": "2026",
            "values": dict(values or LIGHTS), "not_applicable": {}, "note": ""}


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("path", ["", "items/8", "items/25"])
def test_anonymous_goes_to_login_and_back(client, round_, community, path):
    target = url(community, *filter(None, path.split("/")))
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={target}"


def test_login_returns_to_the_scanned_item(client, round_, community):
    target = url(community, "items", 8)
    response = client.post("/login/", {"username": "worker", "password": "worker-demo-2026", "next": target})
    assert response.status_code == 302 and response["Location"] == target
    assert client.get(target).status_code == 200


def test_login_page_says_it_will_return_to_the_scan(client, round_, community):
    response = client.get(f"/login/?next={url(community, 'items', 8)}")
    assert "登录后将自动返回您扫描的二维码页面" in response.content.decode()


@pytest.mark.parametrize("path", ["", "items/8"])
def test_another_communitys_worker_gets_not_yours(client, round_, community, stranger, path):
    client.force_login(stranger)
    response = client.get(url(community, *filter(None, path.split("/"))))
    body = response.content.decode()
    assert response.status_code == 403
    assert "不是您负责的社区" in body and 'name="v.smart_lights"' not in body
    assert "379921001001" in body  # a link to the community that is theirs


def test_another_worker_cannot_save_submit_or_upload(client, round_, community, stranger):
    client.force_login(stranger)
    base = url(community, "items", 8)
    assert post_json(client, base + "save/", save_payload()).status_code == 403
    assert client.post(base, {"request_id": str(uuid.uuid4()), "base_revision": "0", "v.smart_lights": "1"}
                       ).status_code == 403
    assert client.post(base + "submit/", headers={"accept": "application/json"}).status_code == 403
    photo = {"photo": _upload(make_jpeg(64, 48))}
    assert client.post(base + "photos/", photo, headers={"accept": "application/json"}).status_code == 403
    assert client.post(url(community, "submit-all")).status_code == 403
    assert not ItemResult.objects.filter(community=community).exists()


def test_anonymous_json_gets_401_with_login_link(client, round_, community):
    response = post_json(client, url(community, "items", 8, "save"), save_payload())
    assert response.status_code == 401 and response.json()["login"] == "/login/"


def test_bureau_is_not_a_worker_here(client, round_, community, demo):
    client.force_login(get_user_model().objects.get(username="bureau"))
    assert client.get(url(community)).status_code == 403


def test_verifier_sees_the_checklist_read_only(client, round_, community, verifier):
    client.force_login(verifier)
    response = client.get(url(community))
    body = response.content.decode()
    assert response.status_code == 200 and "只读" in body
    assert '<fieldset class="fs" disabled>' in body and "提交全部已完成项" not in body
    assert post_json(client, url(community, "items", 8, "save"), save_payload()).status_code == 403


def test_unknown_codes_and_items_are_404(worker_client, round_, community):
    assert worker_client.get("/c/379902999999/").status_code == 404
    assert worker_client.get(url(community, "items", 26)).status_code == 404
    assert worker_client.get(url(community, "items", 0)).status_code == 404
    assert worker_client.get("/c/12345/").status_code == 404


def test_no_open_round_says_so(worker_client, standard, community):
    response = worker_client.get(url(community))
    assert response.status_code == 200 and "当前没有进行中的核查轮次" in response.content.decode()


# ---------------------------------------------------------------- the page


def test_checklist_groups_items_by_category_with_progress(worker_client, round_, community):
    body = worker_client.get(url(community)).content.decode()
    for label in ("基础设施", "社区服务", "社区安全", "服务创新"):
        assert label in body
    assert body.count('<details class="item') == 25
    assert '已完成 <b data-count="done">0</b>/<b data-count="total">25</b>' in body
    assert 'accept="image/*" capture="environment" multiple' in body
    assert "提交全部已完成项" in body and 'inputmode="decimal"' in body


def test_households_fields_are_prefilled_from_the_register(worker_client, round_, community):
    community.households = 337
    community.save()
    body = worker_client.get(url(community)).content.decode()
    assert body.count('name="v.households" value="337"') == 2  # items 1 and 3
    assert "已按社区登记的总户数预填" in body


def test_returned_items_come_first_with_the_reason(worker_client, round_, community, worker, verifier):
    result = answer_save(round_=round_, community=community, item_number=19, user=worker,
                         values={"skynet_connected": "true"}).result
    evidence_add(result=result, user=worker, data=make_jpeg(64, 48), filename="a.jpg")
    answer_save(round_=round_, community=community, item_number=19, user=worker, base_revision=1, values={
        "skynet_connected": "true", "monitored_areas": ["square", "activity_center", "market", "park", "underpass"],
        "vehicle_management": ["trajectory", "image_capture", "plate_matching"]})
    item_submit(result=result, user=worker)
    item_return(result=result, user=verifier, reason="照片看不清监控画面")
    body = worker_client.get(url(community)).content.decode()
    returned = body.index("被退回，请先修改")
    assert returned < body.index('id="item-19"') < body.index('id="item-1"')
    assert "退回理由：</b>照片看不清监控画面" in body


def test_item_page_shows_the_standard_wording_and_live_rules(worker_client, round_, community):
    body = worker_client.get(url(community, "items", 8)).content.decode()
    assert "智能照明设备安装率达到60%以上" in body
    assert "（社区内未采用智能照明的公共照明年度耗电量 − 社区内采用了智慧照明的公共照明年度耗电量）" in body
    assert body.count('<details class="item') == 1
    assert 'id="zhsq-standard"' in body and "mobile/eval.js" in body
    assert '/<b data-count="total">25</b>' in body  # progress is the community's, not this one item's


def test_choices_offer_not_applicable_only_where_every_option_counts(worker_client, round_, community):
    body = worker_client.get(url(community)).content.decode()
    assert 'name="na.iot_services" value="ev_charging"' in body  # item 4: rule all
    assert 'name="na.publish_channels"' not in body  # item 7: min 1


def test_checklist_query_count_does_not_grow_with_photos_or_items(client, round_, community, worker):
    """The page costs the same number of queries with nothing filled in as with 25 items and 40 photos."""
    client.force_login(worker)
    page = url(community)
    client.get(page)  # warm caches that are not per-request (content types, site)
    with CaptureQueriesContext(connection) as empty:
        assert client.get(page).status_code == 200
    for number in range(1, 26):
        result = answer_save(round_=round_, community=community, item_number=number, user=worker,
                             values=LIGHTS if number == 8 else {}).result
        for seed in range(2 if number < 21 else 0):
            evidence_add(result=result, user=worker, data=make_jpeg(64, 48, pattern_seed=number * 10 + seed),
                         filename=f"{number}-{seed}.jpg")
    with CaptureQueriesContext(connection) as full:
        response = client.get(page)
    assert response.content.decode().count('evidence/') >= 80  # 40 photos, thumb + display links
    assert len(full) == len(empty), [q["sql"] for q in full]
    print(f"checklist page: {len(full)} queries with 0 or 25 items / 40 photos")


# ---------------------------------------------------------------- plain form (no JavaScript)


def _form(revision=0, request_id=None, **values):
    data = {"request_id": str(request_id or uuid.uuid4()), "base_revision": str(revision)}
    data.update({f"v.{k}": v for k, v in values.items()})
    return data


def test_plain_form_saves_and_redirects_back(worker_client, round_, community):
    item = url(community, "items", 8)
    response = worker_client.post(item, _form(**LIGHTS))
    assert response.status_code == 302 and response["Location"] == item
    result = ItemResult.objects.get(community=community, item_number=8)
    assert result.values == LIGHTS and result.revision == 1
    follow = worker_client.get(item).content.decode()
    assert "第8项已保存" in follow and 'value="1000.1"' in follow


def test_plain_form_from_the_checklist_returns_to_the_item_anchor(worker_client, round_, community):
    data = {**_form(**LIGHTS), "back": "list"}
    response = worker_client.post(url(community, "items", 8), data)
    assert response["Location"] == f"/c/{community.code}/#item-8"


def test_plain_form_double_post_changes_once(worker_client, round_, community):
    data = _form(**LIGHTS)
    worker_client.post(url(community, "items", 8), data)
    worker_client.post(url(community, "items", 8), data)
    result = ItemResult.objects.get(community=community, item_number=8)
    assert result.revision == 1
    assert ChecklistLogEntry.objects.filter(object_id=str(result.pk), action="checklists.saved").count() == 1


def test_plain_form_conflict_shows_both_versions_and_overwrites_nothing(worker_client, round_, community, worker):
    answer_save(round_=round_, community=community, item_number=8, user=worker, values={**LIGHTS, "smart_lights": "70"})
    response = worker_client.post(url(community, "items", 8), _form(revision=0, **{**LIGHTS, "smart_lights": "59"}))
    body = response.content.decode()
    assert response.status_code == 409
    assert "您的版本" in body and "服务器上的版本" in body and "请对比两个版本后再保存" in body
    assert "<td>59</td><td>70</td>" in body
    assert 'name="v.smart_lights" value="59"' in body  # the worker's entry is still in the form
    assert 'name="base_revision" value="1"' in body  # saving again is an explicit choice
    assert ItemResult.objects.get(community=community, item_number=8).values["smart_lights"] == "70"


def test_plain_form_choices_not_applicable_and_note(worker_client, round_, community):
    data = _form(skynet_connected="true")
    data["v.monitored_areas"] = ["square", "activity_center", "market", "park"]
    data["na.monitored_areas"] = ["underpass"]
    data["nn.monitored_areas.underpass"] = "本社区无地下通道"
    data["note"] = "已核实"
    worker_client.post(url(community, "items", 19), data)
    result = ItemResult.objects.get(community=community, item_number=19)
    assert result.values["monitored_areas"] == ["square", "activity_center", "market", "park"]
    assert result.not_applicable == {"monitored_areas": {"underpass": "本社区无地下通道"}}
    assert result.note == "已核实"


def test_plain_form_uploads_removes_and_submits(worker_client, round_, community):
    item = url(community, "items", 8)
    data = {**_form(**LIGHTS), "photos": [_upload(make_jpeg(320, 240), "a.jpg"), _upload(b"nope", "b.jpg")]}
    worker_client.post(item, data)
    result = ItemResult.objects.get(community=community, item_number=8)
    assert result.photos.count() == 1 and result.complete
    page = worker_client.get(item).content.decode()
    assert "b.jpg：文件不是有效的图片" in page
    worker_client.post(item, {**_form(revision=1, **LIGHTS), "do": "submit"})
    result.refresh_from_db()
    assert result.status == Status.SUBMITTED
    photo = result.photos.get()
    refused = worker_client.post(item, {**_form(revision=1, **LIGHTS), "remove": [str(photo.pk)]}, follow=True)
    assert "撤回修改" in refused.content.decode()  # read-only while it waits for review
    photo.refresh_from_db()
    assert photo.removed_at is None
    response = worker_client.post(item + "withdraw/", {"back": ""})
    assert response.status_code == 302 and response["Location"] == item
    worker_client.post(item, {**_form(revision=1, **LIGHTS), "remove": [str(photo.pk)]})
    photo.refresh_from_db()
    result.refresh_from_db()
    assert photo.removed_at is not None and result.status == Status.DRAFT and not result.complete


# ---------------------------------------------------------------- JSON endpoints


def test_json_save_returns_the_server_verdict(worker_client, round_, community):
    response = post_json(worker_client, url(community, "items", 8, "save"), save_payload())
    data = response.json()
    assert response.status_code == 200 and data["ok"] and not data["replayed"]
    item = data["item"]
    assert item["revision"] == 1 and item["status"] == "draft"
    assert [r["verdict_label"] for r in item["evaluation"]["rules"]] == ["达标", "达标"]
    assert item["evaluation"]["reasons"] == ["至少上传1张照片作为佐证"]
    assert item["counts"]["total"] == 25


def test_json_save_keeps_decimals_exact(worker_client, round_, community):
    payload = save_payload()
    body = json.dumps(payload).replace('"1000.1"', "1000.1").replace('"800.08"', "800.08")
    response = worker_client.post(url(community, "items", 8, "save"), body, content_type="application/json",
                                  headers={"accept": "application/json"})
    assert response.status_code == 200
    result = ItemResult.objects.get(community=community, item_number=8)
    assert result.values["kwh_without_smart"] == "1000.1" and result.values["kwh_with_smart"] == "800.08"
    assert [r["verdict"] for r in result.evaluation["rules"]] == ["pass", "pass"]


def test_same_request_id_twice_is_one_change(worker_client, round_, community):
    payload = save_payload()
    first = post_json(worker_client, url(community, "items", 8, "save"), payload).json()
    second = post_json(worker_client, url(community, "items", 8, "save"), payload).json()
    assert second["replayed"] and second["item"]["revision"] == first["item"]["revision"] == 1
    result = ItemResult.objects.get(community=community, item_number=8)
    assert result.revision == 1 and SaveReceipt.objects.filter(result=result).count() == 1
    assert ChecklistLogEntry.objects.filter(object_id=str(result.pk), action="checklists.saved").count() == 1


def test_a_replay_reports_its_own_revision_not_a_later_one(worker_client, round_, community, worker):
    payload = save_payload()
    post_json(worker_client, url(community, "items", 8, "save"), payload)
    answer_save(round_=round_, community=community, item_number=8, user=worker, base_revision=1,
                values={**LIGHTS, "smart_lights": "61"})
    again = post_json(worker_client, url(community, "items", 8, "save"), payload).json()
    # Revision 1, so the page's next edit conflicts with the change it has not seen instead of erasing it.
    assert again["replayed"] and again["item"]["revision"] == 1


def test_stale_revision_is_409_with_both_versions(worker_client, round_, community, worker):
    answer_save(round_=round_, community=community, item_number=8, user=worker, values={**LIGHTS, "smart_lights": "70"})
    response = post_json(worker_client, url(community, "items", 8, "save"),
                         save_payload(0, **{**LIGHTS, "smart_lights": "59"}))
    data = response.json()
    assert response.status_code == 409 and data["code"] == "conflict"
    assert data["message"].startswith("您在另一台设备上于 ") and "请对比两个版本后再保存" in data["message"]
    assert data["mine"]["values"]["smart_lights"] == "59" and data["theirs"]["values"]["smart_lights"] == "70"
    assert data["theirs"]["revision"] == 1 and data["theirs"]["updated_by"] == "您（另一台设备）"
    row = next(r for r in data["rows"] if r["label"].startswith("社区内安装了智能控制设备"))
    assert row == {"label": row["label"], "mine": "59", "theirs": "70", "differs": True}
    result = ItemResult.objects.get(community=community, item_number=8)
    assert result.values["smart_lights"] == "70" and result.revision == 1


def test_a_conflict_names_the_other_editor_by_name(worker_client, round_, community, make_user):
    """Issue 20: not "该指标已被worker修改" but the colleague's name (the same worker is 您在另一台设备上)."""
    from communities.models import Role

    colleague = make_user("colleague", Role.WORKER, community)
    colleague.first_name = "王丽"  # people keep the whole name in first_name (people/models.py)
    colleague.save()
    answer_save(round_=round_, community=community, item_number=8, user=colleague, values=LIGHTS)
    data = post_json(worker_client, url(community, "items", 8, "save"), save_payload(0)).json()
    assert data["message"].startswith("该指标已被王丽于 20") and data["theirs"]["updated_by"] == "王丽"
    form = {"request_id": str(uuid.uuid4()), "base_revision": "0", "v.smart_lights": "59"}
    page = worker_client.post(url(community, "items", 8), form).content.decode()  # the plain form's conflict
    assert "该指标已被王丽于 20" in page and "colleague" not in page


def test_malformed_answers_are_400_with_field_errors(worker_client, round_, community):
    save = url(community, "items", 8, "save")
    bad = save_payload()
    bad["values"]["smart_lights"] = "9" * 100
    response = post_json(worker_client, save, bad)
    assert response.status_code == 400 and "smart_lights" in response.json()["errors"]
    assert "已保留在本机" in response.json()["message"]
    assert post_json(worker_client, save, {**save_payload(), "request_id": "nope"}).json()["errors"]["request_id"]
    assert post_json(worker_client, save, {**save_payload(), "base_revision": None}).status_code == 400
    response = worker_client.post(save, "{not json", content_type="application/json",
                                  headers={"accept": "application/json"})
    assert response.status_code == 400
    assert not ItemResult.objects.filter(community=community, item_number=8).exists()


def test_figures_the_engine_rejects_are_still_kept(worker_client, round_, community):
    response = post_json(worker_client, url(community, "items", 8, "save"),
                         save_payload(**{**LIGHTS, "kwh_with_smart": "800.085"}))
    item = response.json()["item"]
    assert response.status_code == 200
    assert item["evaluation"]["errors"][0]["message"].endswith("最多保留两位小数")
    assert ItemResult.objects.get(community=community, item_number=8).values["kwh_with_smart"] == "800.085"


def test_approved_item_is_locked(worker_client, round_, community, worker, verifier):
    result = answer_save(round_=round_, community=community, item_number=8, user=worker, values=LIGHTS).result
    evidence_add(result=result, user=worker, data=make_jpeg(64, 48), filename="a.jpg")
    item_approve(result=item_submit(result=result, user=worker), user=verifier)
    response = post_json(worker_client, url(community, "items", 8, "save"), save_payload(1))
    assert response.status_code == 422 and "已审核通过并锁定" in response.json()["message"]
    assert '<fieldset class="fs" disabled>' in worker_client.get(url(community, "items", 8)).content.decode()


def test_submit_refuses_incomplete_items_with_reasons(worker_client, round_, community):
    post_json(worker_client, url(community, "items", 8, "save"), save_payload())
    response = worker_client.post(url(community, "items", 8, "submit"), headers={"accept": "application/json"})
    assert response.status_code == 422 and response.json()["reasons"] == ["至少上传1张照片作为佐证"]


def test_submit_and_submit_all(worker_client, round_, community, worker):
    for number in (8, 9):
        values = LIGHTS if number == 8 else {"connected_services": "3", "service_window": "true"}
        result = answer_save(round_=round_, community=community, item_number=number, user=worker, values=values).result
        evidence_add(result=result, user=worker, data=make_jpeg(64, 48, pattern_seed=number), filename="a.jpg")
    response = worker_client.post(url(community, "items", 8, "submit"), headers={"accept": "application/json"})
    assert response.status_code == 200 and response.json()["item"]["status"] == "submitted"
    response = worker_client.post(url(community, "submit-all"), headers={"accept": "application/json"})
    assert response.json()["submitted"] == [9] and response.json()["counts"]["submitted"] == 2
    response = worker_client.post(url(community, "submit-all"))  # plain form
    assert response.status_code == 302 and response["Location"] == url(community)


def test_worker_of_two_communities_keeps_them_apart(worker_client, round_, community, demo):
    neighbour = CommunityPage.objects.get(code="379902001002")
    post_json(worker_client, url(neighbour, "items", 8, "save"), save_payload())
    assert ItemResult.objects.filter(community=neighbour, item_number=8).exists()
    assert not ItemResult.objects.filter(community=community).exists()


def _upload(data: bytes, name: str = "photo.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/jpeg")
