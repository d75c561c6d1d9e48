"""smartsite.private_files: the one private-file response (headers, safe names, hand-offs, missing bytes).
Each surface that sends private files checks the same headers with tests/site/private_file_checks.py."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile, FileField
from django.http import Http404

from smartsite.private_files import content_type_of, private_file_response, safe_filename
from tests.site.private_file_checks import assert_private_file


@pytest.fixture
def stored(tmp_path):
    """A FieldFile on a local storage, as a model's file field gives it."""
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("evidence/2026/ab/c0ffee.pdf", ContentFile(b"%PDF-1.4 private"))
    field = FileField(storage=storage)
    field.storage = storage
    return FieldFile(None, field, name)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_download_carries_every_header(stored):
    response = private_file_response(stored, content_type="application/pdf", filename="方案.pdf", download=True)
    assert_private_file(response, download=True)
    assert body(response) == b"%PDF-1.4 private" and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E6%96%B9%E6%A1%88.pdf"
    assert response["Cache-Control"] == "private, no-store"


def test_inline_files_are_named_by_their_stored_name_and_may_be_kept_privately(stored):
    response = private_file_response(stored, cache_control="private, max-age=604800, immutable")
    assert_private_file(response, download=False, cache="private, max-age=604800, immutable")
    assert response["Content-Disposition"] == 'inline; filename="c0ffee.pdf"'
    assert response["Content-Type"] == "application/pdf"  # from the name, when the caller does not say


@pytest.mark.parametrize(("name", "safe"), [
    ('a"b.pdf', 'a"b.pdf'),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\x\\报告.xlsx", "报告.xlsx"),
    ("line\r\nSet-Cookie: x=1.pdf", "lineSet-Cookie: x=1.pdf"),
    ("\u202egpj.exe", "gpj.exe"),
    ("..", "file"),
    ("", "file"),
    ("长" * 300 + ".pdf", "长" * 146 + ".pdf"),
])
def test_uploaded_names_cannot_break_the_header(stored, name, safe):
    assert safe_filename(name) == safe
    response = private_file_response(stored, filename=name, download=True)  # no BadHeaderError, no 500
    assert_private_file(response, download=True)


def test_shared_caches_are_refused_and_missing_bytes_are_404(stored):
    with pytest.raises(ValueError, match="shared caches"):
        private_file_response(stored, cache_control="public, max-age=60")
    stored.storage.delete(stored.name)
    with pytest.raises(Http404):
        private_file_response(stored)
    with pytest.raises(Http404):
        private_file_response(FieldFile(None, stored.field, ""))


def test_the_web_server_hand_offs_keep_the_headers(stored, settings):
    settings.EVIDENCE_SERVE, settings.EVIDENCE_ACCEL_PREFIX = "x-accel", "/protected-media/"
    response = private_file_response(stored, filename="方案.pdf", download=True)
    assert response["X-Accel-Redirect"] == f"/protected-media/{stored.name}" and response.content == b""
    assert_private_file(response, download=True)
    settings.EVIDENCE_SERVE = "x-sendfile"
    response = private_file_response(stored)
    assert response["X-Sendfile"] == stored.path
    assert_private_file(response, download=False)


def test_job_results_get_their_type_from_their_name():
    assert content_type_of("coverage-2026.xlsx") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert content_type_of("coverage-2026.csv") == "text/csv" and content_type_of("x") == "application/octet-stream"
