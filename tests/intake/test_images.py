"""One image intake for every path that takes a picture: a 49 MP RGBA PNG (7070×7070, under the 50 MP cap but over the
decode budget) is refused from its header with its size named, on the phone, for assessment evidence, pilot
materials and on-site visit photos alike; the budget and the decoding slots are the configured ones everywhere; and
every decode happens outside any database transaction (so never under a row lock)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ImageFile

from assessments.models import EvidenceFile
from audit.actors import system
from communities.models import CityPage, ProvincePage, Role
from communities.roles import assign
from intake import images
from pilots.models import ApplicationFile, SiteVisit, VisitPhoto
from pilots.services import applications
from tests.checklists.photo_factory import make_huge_png, make_jpeg, make_png
from tests.pilots.pilot_factory import BANDS, batch, drafted, self_assess

MIB = 1024 * 1024
REFUSED_49MP = "图片 7070×7070 像素，处理需要约 429 MB 内存，超过上限 384 MB；请缩小尺寸或转为 JPEG 后重新上传"
EVIDENCE = "/admin/assessments/2026/city/379900/indicators/1/files/"


@pytest.fixture(scope="module")
def rgba_49mp() -> bytes:
    return make_huge_png(7070, 7070, "RGBA")  # ~190 KB on the wire, ~429 MB to decode


@pytest.fixture
def no_decoding(monkeypatch):
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("the pixels must not be decoded"))


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_intake_refuses_it_from_the_header(rgba_49mp, no_decoding):
    assert len(rgba_49mp) < 250_000 and 7070 * 7070 < images.MAX_PIXELS
    with pytest.raises(images.ImageError) as refused:
        images.verify(rgba_49mp, formats={"PNG"})
    assert refused.value.code == "too_costly" and refused.value.message == REFUSED_49MP


def test_assessment_evidence_refuses_it_and_stores_nothing(client, assess, bureau, rgba_49mp, no_decoding):
    client.force_login(bureau)
    page = client.post(EVIDENCE, {"file": SimpleUploadedFile("监控.png", rgba_49mp)}, follow=True)
    assert f"未上传：{REFUSED_49MP}" in text_of(page) and not EvidenceFile.objects.exists()


@pytest.fixture
def province(demo, make_user):
    """A bureau of the whole province (as in the pilot tests)."""
    user = make_user("province")
    assign(user, Role.BUREAU, ProvincePage.objects.get(), by=system("tests"))
    return user


@pytest.fixture
def application(bureau, province):
    return applications.application_start(user=bureau, batch=batch(province), city=CityPage.objects.get(code="379900"))


def test_pilot_materials_refuse_it_and_store_nothing(client, bureau, application, rgba_49mp, no_decoding):
    client.force_login(bureau)
    page = client.post(f"/admin/pilots/applications/{application.pk}/materials/",
                       {"file": SimpleUploadedFile("方案附图.png", rgba_49mp)}, follow=True)
    assert REFUSED_49MP in text_of(page) and not ApplicationFile.objects.exists()


def test_evidence_and_materials_decode_outside_any_transaction(client, assess, bureau, application, decode_spy):
    client.force_login(bureau)
    picture = make_png(640, 480)
    client.post(EVIDENCE, {"file": SimpleUploadedFile("监控.png", picture)})
    client.post(f"/admin/pilots/applications/{application.pk}/materials/",
                {"file": SimpleUploadedFile("方案.jpg", make_jpeg(640, 480))})
    assert EvidenceFile.objects.count() == 1 and ApplicationFile.objects.count() == 1
    assert decode_spy == [0, 0]


def test_evidence_waits_for_a_decoding_slot_like_the_phone(client, assess, bureau, settings):
    settings.PHOTO_WORKERS, settings.PHOTO_WAIT_SECONDS = 1, 0.05
    client.force_login(bureau)
    semaphore = images.slots()
    assert semaphore.acquire(timeout=1)
    try:
        page = client.post(EVIDENCE, {"file": SimpleUploadedFile("监控.png", make_png(64, 48))}, follow=True)
    finally:
        semaphore.release()
    assert "未上传：服务器正忙，请稍后重新上传" in text_of(page) and not EvidenceFile.objects.exists()


def test_visit_photos_take_the_configured_budget_and_slots_and_decode_outside_transactions(
        client, assess, bureau, province, city, settings, decode_spy):
    self_assess(bureau, assess, city, BANDS[3])
    pilot = drafted(bureau, assess, city, batch(province))
    client.force_login(province)
    visit = f"/admin/pilots/{pilot.pk}/visits/"
    form = {"visited_on": timezone.localdate().isoformat(), "members": "张三、李四", "findings": "属实"}

    def post(data: bytes, name: str = "现场.png") -> str:
        return text_of(client.post(visit, {**form, "photos": [SimpleUploadedFile(name, data)]}))

    settings.PHOTO_MAX_DECODE_BYTES = 64 * MIB  # a 7000×7000 grey PNG takes ~93 MB
    refused = post(make_huge_png(7000, 7000, "L"))
    assert "现场.png：图片 7000×7000 像素，处理需要约 93 MB 内存，超过上限 64 MB" in refused
    settings.PHOTO_WORKERS, settings.PHOTO_WAIT_SECONDS = 1, 0.05
    semaphore = images.slots()
    assert semaphore.acquire(timeout=1)
    try:
        assert "现场.jpg：服务器正忙" in post(make_jpeg(320, 240), "现场.jpg")
    finally:
        semaphore.release()
    assert decode_spy == []
    # A good photo is decoded (outside any transaction) before the visit is refused for the pilot's stage.
    assert "不能记录现场复核" in post(make_jpeg(320, 240), "现场.jpg")
    assert decode_spy == [0, 0]  # its decode, then its render
    assert not SiteVisit.objects.exists() and not VisitPhoto.objects.exists()
