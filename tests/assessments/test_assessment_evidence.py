"""Evidence files on indicators: checked by content and size (a renamed or cut-off file is refused), private
(served only through the permission-checking view, never from MEDIA_URL), removable, on the audit trail."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image
from wagtail.models import ModelLogEntry

from assessments import files, services
from assessments.models import EvidenceFile
from communities.models import CityPage, Role
from tests.coverage.coverage_factory import build_region
from tests.site.private_file_checks import assert_private_file

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
BASE = "/admin/assessments/2026/city/379900/indicators/1/"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG")
    return out.getvalue()


def xlsx() -> bytes:
    book = Workbook()
    book.active.append(["光纤入户户数", 9000])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("data, kind", [(PDF, "pdf"), (png(), "png"), (xlsx(), "xlsx")])
def test_accepted_files_by_content(data, kind):
    checked = files.check(data)
    assert checked.kind == kind and checked.size == len(data) and len(checked.sha256) == 64


@pytest.mark.parametrize("data, message", [
    (b"", "文件是空的"),
    (b"hello, I am a text file renamed to .pdf", "按文件内容判断，该文件不是其中任何一种"),
    (b"%PDF-1.4\n1 0 obj <<>> endobj\n", "PDF 文件不完整"),  # cut off: no %%EOF
    (png()[:60], "图片文件已损坏或不完整"),
    (b"PK\x03\x04" + b"\0" * 40, "XLSX 表格已损坏或不完整"),
    (b"%PDF-1.4\n" + b"0" * (files.MAX_BYTES + 1), "文件超过20 MB"),
])
def test_refused_files_say_why(data, message):
    with pytest.raises(files.EvidenceFileError, match=message):
        files.check(data)


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(files.EvidenceFileError, match="不是 XLSX 表格"):
        files.check(out.getvalue())


def test_attach_stores_privately_and_logs(assess, bureau, city):
    evidence = services.evidence_attach(user=bureau, round_=assess, region=city, number=1, data=PDF,
                                        filename="光纤入户统计.pdf")
    assert evidence.kind == "pdf" and evidence.original_name == "光纤入户统计.pdf"
    assert evidence.file.name.startswith(f"assessments/2026/{evidence.assessment_id}/")
    assert evidence.file.name.endswith(".pdf") and "光纤" not in evidence.file.name
    logged = ModelLogEntry.objects.filter(action=services.FILE_ADDED).get()
    assert logged.data["file"] == "光纤入户统计.pdf" and logged.data["sha256"] == evidence.sha256
    with pytest.raises(services.AssessmentError, match="PDF 文件不完整"):
        services.evidence_attach(user=bureau, round_=assess, region=city, number=1, data=PDF[:-7], filename="x.pdf")


def test_upload_refusals_over_http(client, assess, bureau):
    client.force_login(bureau)
    fake = client.post(BASE + "files/", {"file": SimpleUploadedFile("report.pdf", b"not really a pdf")}, follow=True)
    assert "未上传" in fake.content.decode() and "按文件内容判断" in fake.content.decode()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (files.MAX_BYTES + 10) + b"%%EOF")
    oversized = client.post(BASE + "files/", {"file": big}, follow=True)
    assert "文件超过20 MB" in oversized.content.decode()
    assert not EvidenceFile.objects.exists()


def test_files_are_served_only_through_the_permission_check(client, assess, bureau, make_user):
    client.force_login(bureau)
    data = xlsx()
    done = client.post(BASE + "files/", {"file": SimpleUploadedFile("统计表.xlsx", data)}, follow=True)
    assert "已上传 统计表.xlsx" in done.content.decode()
    evidence = EvidenceFile.objects.get()
    page = client.get(BASE).content.decode()
    assert f"/admin/assessments/files/{evidence.pk}/" in page
    response = client.get(f"/admin/assessments/files/{evidence.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    assert_private_file(response, download=True, filename="%E7%BB%9F%E8%AE%A1%E8%A1%A8.xlsx")
    assert client.get(settings.MEDIA_URL + evidence.file.name).status_code == 404  # media is never served
    build_region([("379801", "另一县", "county", [("001", "subdistrict", 1)])])
    client.force_login(make_user("other", Role.BUREAU, CityPage.objects.get(code="379800")))
    assert client.get(f"/admin/assessments/files/{evidence.pk}/").status_code == 404
    assert client.post(f"/admin/assessments/files/{evidence.pk}/remove/").status_code == 404
    client.logout()
    assert client.get(f"/admin/assessments/files/{evidence.pk}/").status_code == 302  # to the login page


def test_removing_a_file_keeps_it_on_record(client, assess, bureau, city):
    evidence = services.evidence_attach(user=bureau, round_=assess, region=city, number=1, data=png(),
                                        filename="机房.png")
    client.force_login(bureau)
    response = client.post(f"/admin/assessments/files/{evidence.pk}/remove/", follow=True)
    assert "已移除 机房.png" in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.removed_at is not None and evidence.file.storage.exists(evidence.file.name)
    assert client.get(f"/admin/assessments/files/{evidence.pk}/").status_code == 404
    assert ModelLogEntry.objects.filter(action=services.FILE_REMOVED).get().data["file"] == "机房.png"


def test_an_evidence_workbook_may_use_the_whole_twenty_megabytes():
    import os

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("xl/media/photo.bin", os.urandom(15 * 1024 * 1024))  # a workbook with a picture in it
    assert 15 * 1024 * 1024 < len(out.getvalue()) < files.MAX_BYTES
    assert files.check(out.getvalue()).kind == "xlsx"
