"""The phone's save reads its JSON through the bounded intake, over the real URL as the page's script sends it:
hostile bodies get a named 400 (never a 500), unknown field names are named, and nothing is saved."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from checklists.models import Evidence, ItemResult
from tests.checklists.photo_factory import make_jpeg

LIGHTS = {"smart_lights": "60", "public_lights": "100", "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"}


@pytest.fixture
def phone(client, worker, round_):
    client.force_login(worker)
    return client


def save(client, community, body: str | bytes, item: int = 8):
    return client.post(f"/c/{community.code}/items/{item}/save/", body, content_type="application/json",
                       headers={"accept": "application/json"})


def envelope(**extra) -> dict:
    return {"request_id": str(uuid.uuid4()), "base_revision": 0, "round": "2026", "values": LIGHTS,
            "not_applicable": {}, "note": "", **extra}


def test_fifty_thousand_brackets_are_a_named_400_not_a_500(phone, community):
    response = save(phone, community, '{"values":' + "[" * 50_000)
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"] == ["请求内容不是有效的 JSON：JSON 嵌套过深：最多10层"]
    assert not ItemResult.objects.filter(revision__gt=0).exists()


@pytest.mark.parametrize("body, named", [
    (json.dumps(envelope()).replace('"base_revision": 0', '"base_revision": ' + "9" * 5000), "数值过长：最多30位数字"),
    (json.dumps(envelope()).replace('"base_revision": 0', '"base_revision": NaN'), "不接受 NaN"),
], ids=["5000-digits", "NaN"])
def test_hostile_numbers_in_the_body_are_named(phone, community, body, named):
    response = save(phone, community, body)
    assert response.status_code == 400 and named in response.json()["errors"]["__all__"][0]


def test_unknown_field_names_are_named_not_dropped(phone, community):
    top = save(phone, community, json.dumps(envelope(colour="red", size=3)))
    assert top.status_code == 400
    assert top.json()["errors"]["__all__"] == ["请求内容格式有误：未知字段：colour, size"]
    value = save(phone, community, json.dumps(envelope(values={**LIGHTS, "smart_lamps": "5"})))
    assert value.status_code == 400 and value.json()["errors"]["smart_lamps"] == ["第8项没有字段“smart_lamps”"]
    mark = save(phone, community, json.dumps(envelope(not_applicable={"lamps": {"x": ""}})))
    assert mark.status_code == 400 and mark.json()["errors"]["lamps"] == ["第8项没有字段“lamps”"]
    assert not ItemResult.objects.filter(revision__gt=0).exists()
    assert save(phone, community, json.dumps(envelope())).status_code == 200  # the same save without them


def test_a_count_too_long_to_read_is_named_and_the_page_keeps_its_copy(phone, community):
    response = save(phone, community, json.dumps(envelope(values={**LIGHTS, "smart_lights": "9" * 600_000})))
    assert response.status_code == 400
    assert response.json()["errors"]["smart_lights"][0].endswith("数值过长：最多30位数字")
    number = save(phone, community, json.dumps(envelope(values={**LIGHTS, "smart_lights": 10**40})).replace(
        str(10**40), "1" + "0" * 40))
    assert number.status_code == 400 and "数值过长" in number.json()["errors"]["__all__"][0]


def test_a_declared_photo_with_deep_json_is_refused_by_name(phone, community):
    facts = "[" * 4000 + "]" * 4000  # under the 4,096-character cap, deep enough for json.loads to recurse out
    response = phone.post(f"/c/{community.code}/items/8/photos/",
                          {"photo": SimpleUploadedFile("a.jpg", make_jpeg(320, 240)), "declared": facts[:4096]},
                          headers={"accept": "application/json"})
    assert response.status_code == 400 and response.json()["code"] == "declared"
    assert "JSON 嵌套过深" in response.json()["message"] and not Evidence.objects.exists()
