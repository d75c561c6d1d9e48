"""Check an evidence file by its content, never its name: a PDF, a JPEG or PNG image, or an XLSX workbook,
not empty, not truncated, at most 20 MB (the bytes are all it needs). Pictures go through the one image intake
(intake.images: pixels and decode budget from the header, decoded in a slot) and workbooks through the spreadsheet
intake's archive check, so call check() outside any database transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake import images, spreadsheets

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED = 200 * 1024 * 1024  # an XLSX that inflates beyond this is refused (zip bomb)
KINDS = {
    "pdf": "PDF", "jpeg": gettext_lazy("JPEG 图片"), "png": gettext_lazy("PNG 图片"), "xlsx": gettext_lazy("XLSX 表格"),
}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "xlsx": "xlsx"}
CONTENT_TYPES = {
    "pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACCEPTED = gettext_lazy("只能上传 PDF、JPEG/PNG 图片或 XLSX 表格")


class EvidenceFileError(ValueError):
    """The file is refused; the message says why, in Chinese."""


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    size: int
    sha256: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.kind]

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


def _pdf(data: bytes) -> None:
    # A complete PDF ends with %%EOF (possibly followed by a line end); a cut-off upload does not.
    if b"%%EOF" not in data[-1024:]:
        raise EvidenceFileError(_("PDF 文件不完整（可能上传中断），请重新上传"))


# What the image intake's refusals say on a file upload (the phone's wording speaks of re-taking photos).
_IMAGE_MESSAGES = {"unsupported": gettext_lazy("只能上传 PDF、JPEG/PNG 图片或 XLSX 表格；该文件不是有效的图片"),
                   "busy": gettext_lazy("服务器正忙，请稍后重新上传")}
_BROKEN_IMAGE = gettext_lazy("图片文件已损坏或不完整，请重新上传")


def _image(data: bytes, expected: str) -> None:
    try:
        images.verify(data, formats={expected.upper()}, max_bytes=MAX_BYTES)
    except images.ImageError as exc:
        if exc.code in ("truncated", "not_image", "empty"):
            raise EvidenceFileError(str(_BROKEN_IMAGE)) from exc
        raise EvidenceFileError(str(_IMAGE_MESSAGES.get(exc.code, exc.message))) from exc


def _xlsx(data: bytes) -> None:
    try:
        spreadsheets.check_archive(data, spreadsheets.Limits(bytes=MAX_BYTES, unzipped=MAX_UNZIPPED), verify=True)
    except spreadsheets.SpreadsheetError as exc:
        raise EvidenceFileError(exc.message) from exc


def kind_of(data: bytes) -> str | None:
    """Return the accepted kind the bytes start like, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    return None


def display_name(filename: str, checked: CheckedFile, fallback: str) -> str:
    """Return the name a checked file is listed and downloaded under: the uploader's, without path separators,
    or `fallback` with the file's real extension."""
    return (filename or f"{fallback}.{checked.extension}").replace("/", "_").replace("\\", "_")[-255:]


def check(data: bytes) -> CheckedFile:
    """Return the file's kind, size and SHA-256, or raise EvidenceFileError saying why it is refused."""
    if not data:
        raise EvidenceFileError(_("文件是空的"))
    if len(data) > MAX_BYTES:
        raise EvidenceFileError(_("文件超过%(mb)s MB，请压缩或拆分后再上传") % {"mb": MAX_BYTES // (1024 * 1024)})
    kind = kind_of(data)
    if kind is None:
        raise EvidenceFileError(
            _("只能上传 PDF、JPEG/PNG 图片或 XLSX 表格；按文件内容判断，该文件不是其中任何一种（与扩展名无关）"))
    if kind == "pdf":
        _pdf(data)
    elif kind == "xlsx":
        _xlsx(data)
    else:
        _image(data, kind)
    return CheckedFile(kind, len(data), hashlib.sha256(data).hexdigest())
