"""Photos through the real upload endpoint: every refusal has a clear Chinese message and stores nothing;
accepted photos keep their original bytes and get an upright, metadata-free display copy."""

import hashlib
import io
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from checklists.models import Evidence, ItemResult
from tests.checklists.photo_factory import make_heic, make_huge_png, make_jpeg, make_png, make_webp


@pytest.fixture
def worker_client(client, demo, round_):
    client.force_login(get_user_model().objects.get(username="worker"))
    return client


def upload(client, community, data: bytes, name: str, client_id: str | None = None, item: int = 8):
    payload = {"photo": SimpleUploadedFile(name, data, content_type="image/jpeg")}
    if client_id:
        payload["client_id"] = client_id
    return client.post(f"/c/{community.code}/items/{item}/photos/", payload, headers={"accept": "application/json"})


def refused(response) -> str:
    assert response.status_code == 400, response.content
    assert not Evidence.objects.exists()
    return response.json()["message"]


def test_truncated_jpeg_is_refused(worker_client, community):
    data = make_jpeg(800, 600)
    assert refused(upload(worker_client, community, data[: len(data) // 2], "cut.jpg")) == (
        "图片文件不完整，可能上传中断，请重新拍摄或上传"
    )


def test_text_named_jpg_is_refused_by_content(worker_client, community):
    message = refused(upload(worker_client, community, "这不是照片\n".encode() * 50, "notes.jpg"))
    assert message == "文件不是有效的图片（支持 JPEG、PNG、WebP、HEIC）"


def test_decompression_bomb_png_is_refused(worker_client, community):
    bomb = make_huge_png(20000, 20000)
    assert len(bomb) < 1_000_000  # tiny on the wire, 400 million pixels once decoded
    assert refused(upload(worker_client, community, bomb, "bomb.png")) == "图片像素过大（超过5000万像素）"


def test_oversized_file_is_refused(worker_client, community):
    data = make_jpeg(64, 48)
    data += b"\0" * (20 * 1024 * 1024 + 1 - len(data))
    assert refused(upload(worker_client, community, data, "big.jpg")) == "照片超过20MB，请压缩后重新上传"


def test_gif_is_refused_as_unsupported(worker_client, community):
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(out, "GIF")
    assert "不支持这种图片格式" in refused(upload(worker_client, community, out.getvalue(), "a.gif"))


def test_iphone_heic_is_accepted_with_its_original_kept(worker_client, community):
    data = make_heic(640, 480, taken_at=datetime.now(ZoneInfo("Asia/Shanghai")), gps=("36.651200", "117.120000"))
    response = upload(worker_client, community, data, "IMG_0001.HEIC")
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get()
    assert evidence.format == "HEIF" and (evidence.width, evidence.height) == (640, 480)
    assert evidence.original.read() == data and evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.gps_lat is not None and evidence.taken_at is not None
    display = Image.open(evidence.display)
    assert display.format == "JPEG" and not display.getexif()  # GPS and all EXIF stripped
    photo = response.json()["photo"]
    assert photo["thumb"] == f"/c/{community.code}/evidence/{evidence.pk}/thumb/"


def test_rotated_exif_photo_is_shown_upright(worker_client, community):
    data = make_jpeg(640, 480, orientation=6)  # a phone held upright: pixels landscape, EXIF says rotate
    assert upload(worker_client, community, data, "portrait.jpg").status_code == 201
    evidence = Evidence.objects.get()
    assert (evidence.width, evidence.height) == (480, 640)
    display = Image.open(evidence.display)
    assert display.size == (480, 640) and display.getexif().get(0x0112) is None
    assert evidence.original.read() == data


def test_png_and_webp_are_accepted(worker_client, community):
    assert upload(worker_client, community, make_png(300, 200), "screen.png").status_code == 201
    assert upload(worker_client, community, make_webp(300, 200, pattern_seed=3), "a.webp").status_code == 201
    assert sorted(Evidence.objects.values_list("format", flat=True)) == ["PNG", "WEBP"]


def test_a_retried_upload_with_the_same_client_id_is_added_once(worker_client, community):
    client_id = str(uuid.uuid4())
    data = make_jpeg(320, 240)
    first = upload(worker_client, community, data, "a.jpg", client_id)
    second = upload(worker_client, community, data, "a.jpg", client_id)
    assert first.status_code == second.status_code == 201
    assert first.json()["photo"]["id"] == second.json()["photo"]["id"]
    assert Evidence.objects.count() == 1


def test_upload_updates_the_verdict_and_flags_old_photos(worker_client, community):
    old = datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(days=400)
    response = upload(worker_client, community, make_jpeg(320, 240, taken_at=old), "old.jpg", item=2)
    data = response.json()
    assert data["photo"]["old"] is True
    assert data["item"]["evaluation"]["requirements"][-1]["message"] == "已上传1张照片"
    assert ItemResult.objects.get(community=community, item_number=2).photos.count() == 1


def test_remove_takes_the_photo_off_but_keeps_the_record(worker_client, community):
    photo = upload(worker_client, community, make_jpeg(320, 240), "a.jpg").json()["photo"]
    response = worker_client.post(f"/c/{community.code}/items/8/photos/{photo['id']}/remove/",
                                  headers={"accept": "application/json"})
    assert response.status_code == 200 and response.json()["item"]["photos"] == []
    assert Evidence.objects.get().removed_at is not None
    again = worker_client.post(f"/c/{community.code}/items/8/photos/{photo['id']}/remove/",
                               headers={"accept": "application/json"})
    assert again.status_code == 404


def test_missing_file_and_bad_client_id(worker_client, community):
    response = worker_client.post(f"/c/{community.code}/items/8/photos/", {}, headers={"accept": "application/json"})
    assert response.status_code == 400 and response.json()["message"] == "没有收到照片，请重新选择"
    assert upload(worker_client, community, make_jpeg(64, 48), "a.jpg", client_id="x").status_code == 400
