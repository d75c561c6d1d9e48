"""An XLSX package checked before anything inflates: a ZIP with a workbook, its part count and the sizes every part
declares (which zipfile never inflates past), and no DOCTYPE or entity declaration in any XML part (refused by name;
defusedxml's exception would otherwise surface as a 500)."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from xml.parsers import expat

from .sheet_limits import DEFAULT_LIMITS, Limits, SpreadsheetError, size_text

MAX_PARTS = 2000
REQUIRED_PARTS = {"[Content_Types].xml", "xl/workbook.xml"}
# Parts read whole by openpyxl (workbook, styles, relationships, properties) are capped each; the sheet being read
# and the shared strings are streamed, so only the total caps them.
_STREAMED = re.compile(r"xl/(worksheets/[^/]+|sharedStrings)\.xml", re.IGNORECASE)
_XML_PART = re.compile(r".*\.(xml|rels)", re.IGNORECASE)
DOCTYPE = "XLSX 表格中含有 DOCTYPE 或实体声明，出于安全原因不予读取；请用 Excel 或 WPS 重新保存后再上传"

_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError, ValueError,
               OSError, zlib.error)


def check_archive(content: bytes, limits: Limits = DEFAULT_LIMITS, *, verify: bool = False) -> None:
    """Check an XLSX package without inflating it: a ZIP with a workbook, at most MAX_PARTS parts, at most
    `limits.unzipped` bytes when inflated. With `verify`, inflate every part once to check its CRC."""
    if len(content) > limits.bytes:
        raise SpreadsheetError(f"文件超过{size_text(limits.bytes)}，请拆分后再上传")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            if not REQUIRED_PARTS <= {info.filename for info in infos}:
                raise SpreadsheetError("该压缩文件不是 XLSX 表格")
            if len(infos) > MAX_PARTS or sum(info.file_size for info in infos) > limits.unzipped:
                raise SpreadsheetError(f"XLSX 表格解压后过大（超过{size_text(limits.unzipped)}），请拆分后再上传")
            if verify and archive.testzip() is not None:
                raise SpreadsheetError("XLSX 表格已损坏，请重新保存后上传")
    except SpreadsheetError:
        raise
    except _ZIP_ERRORS as exc:
        raise SpreadsheetError("XLSX 表格已损坏或不完整，请重新上传") from exc


class _Doctype(Exception):
    pass


class _Root(Exception):
    pass


def _declares_doctype(stream) -> bool:
    """Read an XML part's prolog only (up to its root element) and tell whether it declares a DOCTYPE."""

    def doctype(*args):
        raise _Doctype

    def root(*args):
        raise _Root

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler, parser.EntityDeclHandler, parser.StartElementHandler = doctype, doctype, root
    try:
        while chunk := stream.read(64 * 1024):
            parser.Parse(chunk, False)
    except _Doctype:
        return True
    except (_Root, expat.ExpatError):
        return False  # a part that does not parse is openpyxl's to refuse, if it reads it at all
    return False


def check_parts(content: bytes, limits: Limits) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in archive.infolist():
            if not _XML_PART.fullmatch(info.filename):
                continue
            if info.file_size > limits.part and not _STREAMED.fullmatch(info.filename):
                raise SpreadsheetError(f"XLSX 表格的 {info.filename[:80]} 部分过大（超过{size_text(limits.part)}）")
            with archive.open(info) as stream:
                if _declares_doctype(stream):
                    raise SpreadsheetError(DOCTYPE)
