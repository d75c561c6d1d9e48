"""Check an evidence file by its content, never its name: a PDF, a JPEG or PNG image, or an XLSX workbook,
not empty, not truncated, at most 20 MB (pure; the bytes are all it needs)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000
MAX_UNZIPPED = 200 * 1024 * 1024  # an XLSX that inflates beyond this is refused (zip bomb)
KINDS = {"pdf": "PDF", "jpeg": "JPEG 图片", "png": "PNG 图片", "xlsx": "XLSX 表格"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "xlsx": "xlsx"}
CONTENT_TYPES = {
    "pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACCEPTED = "只能上传 PDF、JPEG/PNG 图片或 XLSX 表格"


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
        raise EvidenceFileError("PDF 文件不完整（可能上传中断），请重新上传")


def _image(data: bytes, expected: str) -> None:
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format != expected.upper():
                raise EvidenceFileError(f"{ACCEPTED}；该文件不是有效的图片")
            if img.width * img.height > MAX_PIXELS:
                raise EvidenceFileError(f"图片超过{MAX_PIXELS // 1_000_000}百万像素，请缩小后再上传")
            img.load()  # decodes the whole image: a truncated file fails here
    except EvidenceFileError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise EvidenceFileError("图片文件已损坏或不完整，请重新上传") from exc


def _xlsx(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
                raise EvidenceFileError(f"{ACCEPTED}；该压缩文件不是 XLSX 表格")
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise EvidenceFileError("XLSX 表格解压后过大，请拆分后再上传")
            if archive.testzip() is not None:
                raise EvidenceFileError("XLSX 表格已损坏，请重新保存后上传")
    except (zipfile.BadZipFile, EOFError) as exc:
        raise EvidenceFileError("XLSX 表格已损坏或不完整，请重新上传") from exc


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
        raise EvidenceFileError("文件是空的")
    if len(data) > MAX_BYTES:
        raise EvidenceFileError(f"文件超过{MAX_BYTES // (1024 * 1024)} MB，请压缩或拆分后再上传")
    kind = kind_of(data)
    if kind is None:
        raise EvidenceFileError(f"{ACCEPTED}；按文件内容判断，该文件不是其中任何一种（与扩展名无关）")
    if kind == "pdf":
        _pdf(data)
    elif kind == "xlsx":
        _xlsx(data)
    else:
        _image(data, kind)
    return CheckedFile(kind, len(data), hashlib.sha256(data).hexdigest())
