"""Idempotency as ODK Central has it: a request id (a save) or client id (a photo) names one thing for good.
The same id with the same content is answered from what is stored; with other content, or for another item or
community, it is a 409 and nothing is applied or written."""

import json
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from checklists import evidence as evidence_module
from checklists import services
from checklists.evidence import REUSED, EvidenceConflict, evidence_add
from checklists.models import ChecklistLogEntry, Evidence, ItemResult, SaveReceipt
from checklists.services import RequestReused, answer_save, result_for
from communities.models import CommunityPage
from tests.checklists.photo_factory import make_jpeg

LIGHTS = {"smart_lights": "60", "public_lights": "100", "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"}
OTHER = "379902001002"  # the demo worker's second community


def evidence_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def saves(result: ItemResult) -> int:
    return ChecklistLogEntry.objects.filter(object_id=str(result.pk), action="checklists.saved").count()


def save(round_, community, worker, request_id, item=8, **values):
    return answer_save(round_=round_, community=community, item_number=item, user=worker,
                       values={**LIGHTS, **values}, request_id=request_id)


# ---------- saves: the service ----------

def test_same_request_id_and_payload_is_answered_from_the_receipt(round_, community, worker):
    request_id = uuid.uuid4()
    first = save(round_, community, worker, request_id)
    again = save(round_, community, worker, request_id)
    assert not first.replayed and again.replayed and again.result.pk == first.result.pk
    result = ItemResult.objects.get(pk=first.result.pk)
    assert result.revision == 1 and saves(result) == 1
    assert len(SaveReceipt.objects.get(request_id=request_id).payload_digest) == 64


def test_same_request_id_with_other_values_is_refused_and_not_applied(round_, community, worker):
    request_id = uuid.uuid4()
    first = save(round_, community, worker, request_id)
    with pytest.raises(RequestReused):
        save(round_, community, worker, request_id, smart_lights="99")
    result = ItemResult.objects.get(pk=first.result.pk)
    assert result.values["smart_lights"] == "60" and result.revision == 1 and saves(result) == 1


def test_same_request_id_on_another_item_or_community_is_refused(round_, community, worker):
    request_id = uuid.uuid4()
    save(round_, community, worker, request_id)
    other = CommunityPage.objects.get(code=OTHER)
    for target, item in ((community, 9), (other, 8)):
        with pytest.raises(RequestReused):
            save(round_, target, worker, request_id, item=item)
    assert not ItemResult.objects.filter(revision__gt=0).exclude(community=community, item_number=8).exists()


def test_a_receipt_from_before_digests_still_replays(round_, community, worker):
    request_id = uuid.uuid4()
    save(round_, community, worker, request_id)
    SaveReceipt.objects.filter(request_id=request_id).update(payload_digest="")
    assert save(round_, community, worker, request_id, smart_lights="99").replayed  # unknown: accepted as before


def test_a_concurrent_twin_on_another_item_is_refused_not_a_500(round_, community, worker, monkeypatch):
    request_id = uuid.uuid4()
    save(round_, community, worker, request_id)
    # The twin committed while this save held only its own item's lock: the lookup missed it, the key does not.
    blind = SimpleNamespace(objects=SimpleNamespace(filter=lambda **kw: SimpleNamespace(first=lambda: None),
                                                    create=SaveReceipt.objects.create))
    monkeypatch.setattr(services, "SaveReceipt", blind)
    with pytest.raises(RequestReused):
        save(round_, community, worker, request_id, item=9)
    assert result_for(round_=round_, community=community, item_number=9).revision == 0


# ---------- saves: HTTP ----------

def post_save(client, community, payload, item=8):
    return client.post(f"/c/{community.code}/items/{item}/save/", json.dumps(payload),
                       content_type="application/json", headers={"accept": "application/json"})


def payload(request_id, **values):
    return {"request_id": str(request_id), "base_revision": 0, "round": "2026", "values": {**LIGHTS, **values},
            "not_applicable": {}, "note": ""}


def test_http_replay_and_reuse(client, round_, community, worker):
    client.force_login(worker)
    request_id = uuid.uuid4()
    first = post_save(client, community, payload(request_id))
    again = post_save(client, community, payload(request_id))
    assert first.status_code == again.status_code == 200
    assert again.json()["replayed"] is True and again.json()["item"]["revision"] == 1
    changed = post_save(client, community, payload(request_id, smart_lights="99"))
    assert changed.status_code == 409 and changed.json()["code"] == "reused"
    assert changed.json()["message"] == RequestReused.message
    # The same id on item 9 (with no values: item 8's field names would be refused as unknown to item 9).
    elsewhere = post_save(client, community, {**payload(request_id), "values": {}}, item=9)
    assert elsewhere.status_code == 409 and elsewhere.json()["code"] == "reused"
    result = ItemResult.objects.get(community=community, item_number=8)
    assert result.values["smart_lights"] == "60" and result.revision == 1 and saves(result) == 1


# ---------- photos ----------

def post_photo(client, community, data, client_id, item=8):
    return client.post(f"/c/{community.code}/items/{item}/photos/",
                       {"photo": SimpleUploadedFile("a.jpg", data, content_type="image/jpeg"),
                        "client_id": str(client_id)}, headers={"accept": "application/json"})


def test_photo_client_id_reused_on_another_item_or_community_is_409_and_writes_nothing(client, round_, community,
                                                                                      worker):
    client.force_login(worker)
    client_id, data = uuid.uuid4(), make_jpeg(320, 240)
    assert post_photo(client, community, data, client_id).status_code == 201
    files = evidence_files()
    for target, item in ((community, 9), (CommunityPage.objects.get(code=OTHER), 8)):
        response = post_photo(client, target, data, client_id, item=item)
        assert response.status_code == 409, response.content
        assert response.json() == {"ok": False, "code": "reused", "message": REUSED}
    assert Evidence.objects.count() == 1 and evidence_files() == files


def test_photo_client_id_on_the_same_item_replays_only_the_same_picture(client, round_, community, worker):
    client.force_login(worker)
    client_id = uuid.uuid4()
    first = post_photo(client, community, make_jpeg(320, 240), client_id)
    again = post_photo(client, community, make_jpeg(320, 240), client_id)
    assert first.status_code == again.status_code == 201
    assert first.json()["photo"]["id"] == again.json()["photo"]["id"]
    files = evidence_files()
    other_picture = post_photo(client, community, make_jpeg(320, 240, pattern_seed=9), client_id)
    assert other_picture.status_code == 409 and other_picture.json()["code"] == "reused"
    assert Evidence.objects.count() == 1 and evidence_files() == files


def test_a_concurrent_twin_photo_is_a_conflict_and_its_files_are_removed(round_, community, worker, monkeypatch):
    client_id, data = uuid.uuid4(), make_jpeg(320, 240)
    evidence_add(result=result_for(round_=round_, community=community, item_number=8), user=worker, data=data,
                 client_id=client_id)
    files = evidence_files()
    real = evidence_module._existing
    calls = []

    def racing(result, client_id, sha256):
        calls.append(1)
        return None if len(calls) <= 2 else real(result, client_id, sha256)  # both checks ran before the twin

    monkeypatch.setattr(evidence_module, "_existing", racing)
    with pytest.raises(EvidenceConflict):
        evidence_add(result=result_for(round_=round_, community=community, item_number=9), user=worker, data=data,
                     client_id=client_id)
    assert Evidence.objects.count() == 1 and evidence_files() == files
