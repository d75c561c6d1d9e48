"""Read an uploaded table into a header and rows of text, each row with the number Excel shows (the header is
row 1): CSV in UTF-8 (BOM or not) or GBK/GB18030, XLSX (every worksheet a table), or either gzipped.

The register import and the division table read their files only through `read_tables`/`read_table`, so a
bounded reader for every uploaded spreadsheet can take its place in one spot.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from openpyxl import load_workbook

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
GZIP_LIMIT = 256 * 1024 * 1024  # a gzipped table may not unpack to more than this
ZIP_MAGIC, GZIP_MAGIC = b"PK\x03\x04", b"\x1f\x8b"


class TableError(ValueError):
    """The file as a whole cannot be read as a table (the message says why, in Chinese)."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (Excel row number, cells as text); blank rows left out
    name: str = ""  # the file's name, with the worksheet's after it when a workbook has several


def text(value) -> str:
    """Return a cell as text: Excel stores typed numbers as floats (370102001001.0), so whole ones lose `.0`."""
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    return str(value).strip()


def read_tables(content: bytes, filename: str) -> list[Table]:
    """Return the tables in an uploaded file: one for a CSV, one per non-empty worksheet for an XLSX."""
    if content[:2] == GZIP_MAGIC:
        content = _gunzip(content)
        filename = filename.removesuffix(".gz").removesuffix(".GZ")
    if content[:4] == ZIP_MAGIC or PurePath(filename).suffix.lower() == ".xlsx":
        return _xlsx(content, filename)
    return [_csv(content, filename)]


def read_table(content: bytes, filename: str) -> Table:
    """Return the first table of an uploaded file."""
    return read_tables(content, filename)[0]


def _gunzip(content: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as stream:
            data = stream.read(GZIP_LIMIT + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise TableError(f"无法解压 gzip 文件：{exc}") from exc
    if len(data) > GZIP_LIMIT:
        raise TableError(f"解压后超过 {GZIP_LIMIT // 1024 // 1024} MB，请直接上传表格文件")
    return data


def _table(name: str, rows) -> Table:
    """Turn raw rows (the first is the header) into a Table, leaving blank rows out."""
    header: list[str] | None = None
    body = []
    for number, values in enumerate(rows, start=1):
        cells = [text(v) for v in values]
        if number == 1:
            header = [c.lstrip("\ufeff") for c in cells]
        elif any(cells):
            body.append((number, cells))
    if not header or not any(header):
        raise TableError("第1行应为列名，但它是空的")
    return Table(header, body, name)


def _csv(content: bytes, filename: str) -> Table:
    for encoding in CSV_ENCODINGS:
        try:
            decoded = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return _table(filename, csv.reader(io.StringIO(decoded, newline="")))
        except csv.Error as exc:
            raise TableError(f"CSV 格式有误：{exc}") from exc
    raise TableError("无法识别文件编码：请保存为 UTF-8 或 GBK 编码的 CSV，或 XLSX 文件")


def _xlsx(content: bytes, filename: str) -> list[Table]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise TableError(f"无法读取 XLSX 文件：{exc}") from exc
    try:
        tables = []
        sheets = book.worksheets
        for sheet in sheets:
            rows = sheet.iter_rows(values_only=True)
            first = next(rows, None)
            if first is None or not any(text(v) for v in first):
                continue  # an empty worksheet (or one without a header) holds no table
            name = filename if len(sheets) == 1 else f"{filename}［{sheet.title}］"
            tables.append(_table(name, _chain(first, rows)))
    except TableError:
        raise
    except Exception as exc:
        raise TableError(f"无法读取 XLSX 文件：{exc}") from exc
    finally:
        book.close()
    if not tables:
        raise TableError("XLSX 文件中没有表格（第1行应为列名）")
    return tables


def _chain(first, rest):
    yield first
    yield from rest
