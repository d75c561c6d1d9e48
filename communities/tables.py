"""Read an uploaded table into a header and rows of text, each row with the number Excel shows (the header is
row 1): CSV in UTF-8 (BOM or not) or GBK/GB18030, XLSX (every worksheet a table), or either gzipped.

The register import, the division table and rosters read their files only through `read_tables`/`read_table`,
which go through the project's one bounded spreadsheet reader (`intake.spreadsheets`) with the register's limits:
the official village table is 62,074 rows in one file.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from intake import spreadsheets

GZIP_LIMIT = 256 * 1024 * 1024  # a gzipped table may not unpack to more than this
GZIP_MAGIC = b"\x1f\x8b"
LIMITS = spreadsheets.Limits(
    bytes=GZIP_LIMIT, unzipped=512 * spreadsheets.MIB, part=16 * spreadsheets.MIB,
    rows=500_000, columns=200, cells=10_000_000,
)


class TableError(ValueError):
    """The file as a whole cannot be read as a table (the message says why, in Chinese)."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (Excel row number, cells as text); blank rows left out
    name: str = ""  # the file's name, with the worksheet's after it when a workbook has several


def read_tables(content: bytes, filename: str) -> list[Table]:
    """Return the tables in an uploaded file: one for a CSV, one per non-empty worksheet for an XLSX."""
    if content[:2] == GZIP_MAGIC:
        content = _gunzip(content)
        filename = filename.removesuffix(".gz").removesuffix(".GZ")
    try:
        sheets = spreadsheets.read_sheets(content, filename, limits=LIMITS)
    except spreadsheets.SpreadsheetError as exc:
        raise TableError(exc.message) from exc
    tables = []
    for sheet, read in sheets:
        if not read.rows or read.rows[0].number != 1 or not any((v or "").strip() for v in read.rows[0].values):
            if len(sheets) == 1:
                raise TableError(_("第1行应为列名，但它是空的"))
            continue  # an empty worksheet (or one without a header) holds no table
        name = f"{filename}［{sheet}］" if len(sheets) > 1 else filename
        tables.append(_table(name, read))
    if not tables:
        raise TableError(_("XLSX 文件中没有表格（第1行应为列名）"))
    return tables


def read_table(content: bytes, filename: str) -> Table:
    """Return the first table of an uploaded file."""
    return read_tables(content, filename)[0]


def _gunzip(content: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as stream:
            data = stream.read(GZIP_LIMIT + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise TableError(_("无法解压 gzip 文件：%(why)s") % {"why": exc}) from exc
    if len(data) > GZIP_LIMIT:
        raise TableError(_("解压后超过 %(mb)s MB，请直接上传表格文件") % {"mb": GZIP_LIMIT // 1024 // 1024})
    return data


def _cells(values) -> list[str]:
    return [(value or "").strip() for value in values]


def _table(name: str, read: spreadsheets.Table) -> Table:
    header = [cell.lstrip("\ufeff") for cell in _cells(read.rows[0].values)]
    body = [(row.number, _cells(row.values)) for row in read.data]
    return Table(header, [(number, cells) for number, cells in body if any(cells)], name)
