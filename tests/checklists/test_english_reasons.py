"""A worker who chose English, over HTTP: why an item cannot be submitted (提交 and 提交全部) in English, from the
engine in the reader's language, while the evaluation stored on the result stays in Chinese (the record)."""

import json
import re
import uuid

import pytest

from checklists.models import ItemResult
from checklists.services import answer_save

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def worker_client(client, worker):
    client.force_login(worker)
    return client


def test_submit_refusals_in_english_and_the_record_in_chinese(worker_client, round_, community, worker):
    answer_save(round_=round_, community=community, item_number=8, user=worker, values={"smart_lights": "59"})
    worker_client.cookies["django_language"] = "en"
    base = f"/c/{community.code}"
    payload = {"request_id": str(uuid.uuid4()), "base_revision": 1, "round": "2026", "not_applicable": {},
               "values": {"smart_lights": "59", "public_lights": "100"}, "note": ""}
    saved = worker_client.post(f"{base}/items/8/save/", json.dumps(payload), content_type="application/json",
                               headers={"accept": "application/json"})
    assert saved.status_code == 200
    shown = saved.json()["item"]["evaluation"]
    assert "智能照明设备安装率达到60%以上: 59.00% is below 60%" in [r["message"] for r in shown["rules"]]
    record = ItemResult.objects.get(community=community, item_number=8).evaluation
    assert "智能照明设备安装率达到60%以上：59.00% 未达到 60%" in [r["message"] for r in record["rules"]]
    assert all(HAN.search(reason) for reason in record["reasons"])

    refused = worker_client.post(f"{base}/items/8/submit/", headers={"accept": "application/json"})
    assert refused.status_code == 422
    reasons = refused.json()["reasons"]
    assert "Upload at least 1 photo as evidence" in reasons
    assert not [r for r in reasons if re.search("未填写|至少上传|未达到", r)], reasons

    skipped = worker_client.post(f"{base}/submit-all/", headers={"accept": "application/json"}).json()["skipped"]
    why = {s["number"]: s["reason"] for s in skipped}
    assert why[1] == "Not started"
    assert why[8].startswith("Not complete: ") and "Upload at least 1 photo as evidence" in why[8], why[8]
    assert not re.search("未填写|至少上传|未达到", why[8]), why[8]


def test_a_stored_evaluation_is_read_in_the_readers_language(round_, community, worker):
    from django.utils import translation

    from checklists.services import readable_evaluation

    answer_save(round_=round_, community=community, item_number=8, user=worker, values={"smart_lights": "59"})
    result = ItemResult.objects.get(community=community, item_number=8)
    assert readable_evaluation(result) == result.evaluation  # the Chinese reader: the record itself
    with translation.override("en"):
        english = readable_evaluation(result)
    assert english["verdict"] == result.evaluation["verdict"]
    assert "Not filled in: 社区内公共照明设备总数" in english["reasons"]  # the field's label is the standard's data
    assert "未填写：社区内公共照明设备总数" in result.evaluation["reasons"]
    assert set(english["reasons"]).isdisjoint(result.evaluation["reasons"])
