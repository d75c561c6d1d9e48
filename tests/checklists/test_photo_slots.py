"""Photos never stall others: refused before decoding when too costly, decoded outside any database
transaction, and a few at a time per process (a busy server answers 503 and the phone sends the photo again)."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ImageFile

from checklists.evidence import evidence_add
from checklists.models import Evidence
from checklists.photos import PhotoError, process_photo
from checklists.results_import import import_results
from checklists.services import result_for
from communities.models import CityPage, Role
from intake.images import slots
from standards.rounds import open_round
from tests.checklists.photo_factory import make_huge_png, make_jpeg
from tests.checklists.test_originals import copy_of, facts

MIB = 1024 * 1024
RGBA_REFUSED = "图片 7000×7000 像素，处理需要约 420 MB 内存，超过上限 384 MB；请缩小尺寸或转为 JPEG 后重新上传"


def evidence_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def worker_client(client, demo, round_):
    client.force_login(get_user_model().objects.get(username="worker"))
    return client


def upload(client, community, data: bytes, name: str = "a.png", item: int = 8, **fields):
    payload = {"photo": SimpleUploadedFile(name, data, content_type="image/png"), **fields}
    return client.post(f"/c/{community.code}/items/{item}/photos/", payload, headers={"accept": "application/json"})


@pytest.fixture
def no_decoding(monkeypatch):
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("the pixels must not be decoded"))


def test_an_rgba_png_under_the_pixel_cap_but_over_the_memory_budget_is_refused_unread(no_decoding):
    bomb = make_huge_png(7000, 7000, "RGBA")  # 49 MP, under the 50 MP cap; ~190 KB on the wire
    assert len(bomb) < 250_000
    with pytest.raises(PhotoError) as refused:
        process_photo(bomb)
    assert refused.value.code == "too_costly" and refused.value.message == RGBA_REFUSED


def test_the_budget_counts_bytes_per_pixel_of_the_mode(no_decoding):
    grey = make_huge_png(7000, 7000, "L")  # one band: a quarter of the RGBA picture's cost
    with pytest.raises(PhotoError) as refused:
        process_photo(grey, max_decode_bytes=64 * MIB)
    assert "7000×7000" in refused.value.message and "约 93 MB" in refused.value.message


def test_the_same_grey_png_fits_the_default_budget():
    assert process_photo(make_huge_png(7000, 7000, "L")).width == 7000


def test_a_jpeg_counts_at_its_draft_size():
    # 3200×2400 decodes at 1600×1200 (DCT scaling): ~9 MB where a PNG of that size would need ~37 MB.
    assert process_photo(make_jpeg(3200, 2400), max_decode_bytes=20 * MIB).width == 3200
    with pytest.raises(PhotoError) as refused:
        process_photo(make_huge_png(3200, 2400, "RGB"), max_decode_bytes=20 * MIB)
    assert refused.value.code == "too_costly"


def test_the_phone_upload_refuses_the_costly_png_and_stores_nothing(worker_client, community, no_decoding):
    files = evidence_files()
    response = upload(worker_client, community, make_huge_png(7000, 7000, "RGBA"))
    assert response.status_code == 400 and response.json()["message"] == RGBA_REFUSED
    assert response.json()["code"] == "too_costly"
    assert not Evidence.objects.exists() and evidence_files() == files


def test_the_budget_is_a_setting(worker_client, community, settings, no_decoding):
    settings.PHOTO_MAX_DECODE_BYTES = 64 * MIB
    response = upload(worker_client, community, make_huge_png(7000, 7000, "L"))
    assert response.status_code == 400 and "超过上限 64 MB" in response.json()["message"]
    assert not Evidence.objects.exists()


@pytest.fixture
def all_slots_taken(settings):
    settings.PHOTO_WORKERS, settings.PHOTO_WAIT_SECONDS = 2, 0.05
    semaphore = slots()
    assert semaphore.acquire(timeout=1) and semaphore.acquire(timeout=1)
    yield
    semaphore.release()
    semaphore.release()


def test_a_busy_server_answers_503_with_retry_after_and_stores_nothing(worker_client, community, all_slots_taken):
    files = evidence_files()
    response = upload(worker_client, community, make_jpeg(320, 240), "a.jpg", client_id="1" * 32)
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert response.json() == {"ok": False, "code": "busy",
                               "message": "服务器正忙，照片暂未处理，请稍后重试（手机会自动重新发送）"}
    assert not Evidence.objects.exists() and evidence_files() == files


def test_the_photo_goes_through_once_a_slot_is_free(worker_client, community, settings):
    settings.PHOTO_WORKERS, settings.PHOTO_WAIT_SECONDS = 1, 0.05
    semaphore = slots()
    semaphore.acquire()
    try:
        with pytest.raises(PhotoError) as busy:
            evidence_add(result=_result(community), user=_worker(), data=make_jpeg(320, 240))
        assert busy.value.code == "busy" and not Evidence.objects.exists()
    finally:
        semaphore.release()
    assert upload(worker_client, community, make_jpeg(320, 240), "a.jpg").status_code == 201


def _worker():
    return get_user_model().objects.get(username="worker")


def _result(community):
    return result_for(round_=open_round(), community=community, item_number=8)


def test_phone_uploads_decode_outside_any_transaction(worker_client, community, decode_spy):
    original = make_jpeg(2400, 1800, pattern_seed=5)
    assert upload(worker_client, community, make_jpeg(320, 240), "a.jpg").status_code == 201
    copy = upload(worker_client, community, copy_of(original), "b.jpg", declared=json.dumps(facts(original)))
    assert copy.status_code == 201
    sent = worker_client.post(copy.json()["photo"]["original"], {"original": SimpleUploadedFile("b.jpg", original)},
                              headers={"accept": "application/json"})
    assert sent.status_code == 200, sent.content
    assert len(decode_spy) == 6 and set(decode_spy) == {0}


def test_an_import_decodes_its_photos_before_its_transaction(round_, demo, make_user, tmp_path, decode_spy):
    make_user("district-clerk", Role.VERIFIER, CityPage.objects.get(code="379900"))
    (tmp_path / "a.jpg").write_bytes(make_jpeg(320, 240))
    values = {"smart_lights": 60, "public_lights": 100, "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"}
    record = {"community": "379902001001", "round": "2026", "item": 8, "values": values, "photos": ["a.jpg"],
              "status": "submitted"}
    (tmp_path / "r.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = import_results(tmp_path / "r.jsonl", user=get_user_model().objects.get(username="district-clerk"))
    assert report.ok and report.photos == 1
    assert decode_spy and set(decode_spy) == {0}
