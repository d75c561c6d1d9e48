"""Spreadsheets uploaded or imported (XLSX, or CSV in UTF-8 with or without a BOM, GBK or GB18030), read through
one bounded reader that returns plain rows of text with their Excel row numbers.

The sheet's declared dimension is never trusted: a 6 KB XLSX may declare A1:XFD1048576, and a reader that pads rows
to it needs gigabytes. Cells are read as they come, only cells with a value are kept, and reading stops at the first
row, column, cell count or cell length over the limits (intake.sheet_limits). The archive is checked first
(intake.xlsx_archive: part count, the size every part declares, which zipfile never inflates past), and a DOCTYPE
or entity declaration in any XML part is refused by name (defusedxml's exception would otherwise surface as a
500). Numbers come back as the text a person typed (370102001001.0 → "370102001001"), for intake.numbers to read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import NamedTuple

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

from .numbers import cell_text
from .sheet_limits import DEFAULT_LIMITS, MIB, Limits, SpreadsheetError, size_text
from .xlsx_archive import DOCTYPE, check_archive, check_parts

__all__ = ["DOCTYPE", "MIB", "Limits", "SpreadsheetError", "check_archive", "read_sheets", "read_table"]

CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 reads GBK too
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})")
_NS = f"{{{SHEET_MAIN_NS}}}"
ROW, CELL, VALUE, INLINE, SHARED = _NS + "row", _NS + "c", _NS + "v", _NS + "is", _NS + "si"
TEXT, RUN = _NS + "t", _NS + "r"

BROKEN = "无法读取 XLSX 表格：文件已损坏，或不是 Excel 工作簿，请用 Excel 或 WPS 重新保存后再上传"


class Row(NamedTuple):
    number: int  # the row number Excel shows (CSV: the record's number)
    values: tuple[str | None, ...]  # column A first; empty cells are None


@dataclass
class Table:
    """A sheet's rows that hold anything, in order. The first is the header row."""

    rows: list[Row]

    @property
    def headers(self) -> list[str]:
        """Return the first row's values as text ("" for an empty cell)."""
        return [value or "" for value in self.rows[0].values] if self.rows else []

    @property
    def data(self) -> list[Row]:
        """Return the rows after the header row."""
        return self.rows[1:]

    def __iter__(self) -> Iterator[tuple[str | None, ...]]:
        """Yield the values of every row after the header, an empty tuple for each row without any, so counting from
        the header row's number + 1 gives each row's Excel number (as tablib's Dataset is read)."""
        if not self.rows:
            return
        expected = self.rows[0].number + 1
        for row in self.rows[1:]:
            yield from ((),) * (row.number - expected)
            yield row.values
            expected = row.number + 1


def read_table(content: bytes, filename: str = "", *, sheet: str | None = None,
               limits: Limits = DEFAULT_LIMITS) -> Table:
    """Read an XLSX (by its content or a .xlsx name; `sheet` by name, else the first) or a CSV into a Table.

    Raise SpreadsheetError with a Chinese message for a file that is refused or cannot be read.
    """
    return _read(content, filename, sheet, limits, every=False)[0][1]


def read_sheets(content: bytes, filename: str = "", *, limits: Limits = DEFAULT_LIMITS) -> list[tuple[str, Table]]:
    """Read every worksheet of an XLSX (or a CSV, as one unnamed sheet) into (sheet name, Table) pairs, in order.

    The archive is checked once; each sheet is held to the limits on its own. Raise SpreadsheetError as read_table.
    """
    return _read(content, filename, None, limits, every=True)


def _read(content: bytes, filename: str, sheet: str | None, limits: Limits, *,
          every: bool) -> list[tuple[str, Table]]:
    """The one gate both readers pass: the size first, then the format by its bytes (or a .xlsx name)."""
    if len(content) > limits.bytes:
        raise SpreadsheetError(f"文件超过{size_text(limits.bytes)}，请拆分后再上传")
    if content[:4] == b"PK\x03\x04" or Path(filename).suffix.lower() == ".xlsx":
        return [(name, Table(rows)) for name, rows in _read_xlsx_sheets(content, sheet, limits, every=every)]
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SpreadsheetError("不支持旧版 XLS 格式，请另存为 XLSX 或 CSV 后再上传")
    return [("", Table(_read_csv(content, limits)))]


# --- CSV ---------------------------------------------------------------------------------------------------------

def _decoded(content: bytes) -> str:
    for encoding in CSV_ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError("无法识别文件编码：请保存为 UTF-8 或 GBK 编码的 CSV，或 XLSX 文件")


def _read_csv(content: bytes, limits: Limits) -> list[Row]:
    rows: list[Row] = []
    counter = _Counter(limits)
    reader = csv.reader(io.StringIO(_decoded(content), newline=""))
    try:
        for number, record in enumerate(reader, start=1):
            values = {column: value for column, value in enumerate(record, start=1) if value != ""}
            for column, value in values.items():
                counter.cell(number, column, value)
            if any(value.strip() for value in values.values()):
                rows.append(Row(number, tuple(values.get(c) for c in range(1, max(values) + 1))))
    except csv.Error as exc:
        problem = "单元格内容过长、引号不成对或含有空字符"
        raise SpreadsheetError(f"第{reader.line_num}行：CSV 格式有误（{problem}）") from exc
    return rows


class _Counter:
    """Count cells with a value against the limits, naming the first one over them."""

    def __init__(self, limits: Limits) -> None:
        self.limits, self.cells = limits, 0

    def cell(self, row: int, column: int, value: str) -> None:
        limits, where = self.limits, f"{get_column_letter(min(column, 18278))}{row}"
        if row > limits.rows:
            raise SpreadsheetError(f"第{row}行：表格超过{limits.rows}行，请拆分后分批导入")
        if column > limits.columns:
            raise SpreadsheetError(f"{where}：表格超过{limits.columns}列，请只保留需要的列")
        if len(value) > limits.chars:
            raise SpreadsheetError(f"{where}：单元格内容超过{limits.chars}个字符")
        self.cells += 1
        if self.cells > limits.cells:
            raise SpreadsheetError(f"{where}：表格超过{limits.cells}个非空单元格，请拆分后分批导入")


# --- XLSX: the workbook and its cells ----------------------------------------------------------------------------

class _Refused(Exception):
    """Raised inside openpyxl's reader, which wraps every ValueError in its own; carries the refusal out."""

    def __init__(self, message: str) -> None:
        self.message = message


class _BoundedReader(ExcelReader):
    """openpyxl's reader (read-only, values only, no external links) for the workbook, its styles and names; the
    shared strings are streamed and counted, and the worksheets are only listed (name → part), never opened:
    openpyxl's read-only sheet reads a sheet without a <dimension> through to its end just to size it."""

    def __init__(self, content: bytes, limits: Limits) -> None:
        super().__init__(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
        self.limits = limits
        self.sheets: dict[str, str] = {}

    def read_strings(self):
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = _shared_strings(source, self.limits)

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                self.sheets.setdefault(sheet.name, rel.target)


def _shared_strings(source, limits: Limits) -> list[str]:
    strings: list[str] = []
    root = None
    for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
        if root is None:
            root = element
        if event == "end" and element.tag == SHARED:
            strings.append(_text(element).replace("x005F_", ""))
            if len(strings) > limits.cells:
                raise _Refused(f"XLSX 表格的共享字符串超过{limits.cells}个，请拆分后分批导入")
            root.remove(element)  # read strings are dropped from the tree, so memory is the list alone
    return strings


def _text(node) -> str:
    """Return a string item's text without its formatting (openpyxl's Text.content): its own <t>, then each rich-text
    run's <t>; phonetic guides (<rPh>) are left out."""
    plain = node.find(TEXT)
    parts = [plain.text or ""] if plain is not None else []
    parts += [run.findtext(TEXT) or "" for run in node.findall(RUN)]
    return "".join(parts)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _refusal(exc: Exception) -> SpreadsheetError:
    for cause in _causes(exc):
        if isinstance(cause, SpreadsheetError):
            return cause
        if isinstance(cause, _Refused):
            return SpreadsheetError(cause.message)
        if isinstance(cause, DefusedXmlException):
            return SpreadsheetError(DOCTYPE)
    return SpreadsheetError(BROKEN)


def _read_xlsx_sheets(content: bytes, sheet: str | None, limits: Limits, *,
                      every: bool) -> list[tuple[str, list[Row]]]:
    """Return every sheet's rows, or only the named (else the first) one's, after checking the archive once."""
    check_archive(content, limits)
    try:
        check_parts(content, limits)
        reader = _BoundedReader(content, limits)
        reader.read()
    except SpreadsheetError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook; each is named here
        raise _refusal(exc) from exc
    try:
        if not every or not reader.sheets:
            parts = [(sheet or "", _worksheet(reader.sheets, sheet))]
        else:
            parts = list(reader.sheets.items())
        sheets = []
        for name, part in parts:
            with reader.archive.open(part) as source:
                sheets.append((name, list(_rows(reader.wb, source, reader.shared_strings, limits))))
        return sheets
    except SpreadsheetError:
        raise
    except Exception as exc:  # noqa: BLE001 - as above, for the sheet's own XML
        raise _refusal(exc) from exc
    finally:
        reader.archive.close()


def _worksheet(sheets: dict[str, str], sheet: str | None) -> str:
    """Return the part holding the named sheet (or the first)."""
    found = sheets.get(sheet) if sheet is not None else next(iter(sheets.values()), None)
    if found is None:
        raise SpreadsheetError(f"找不到工作表“{sheet}”" if sheet else "XLSX 表格中没有工作表")
    return found


def _row_number(element, previous: int) -> int:
    mark = element.get("r")
    if mark is None:
        return previous + 1
    if not (mark.isdigit() and len(mark) <= 7):
        raise SpreadsheetError(f"XLSX 表格的行号无效（{mark[:20]}）")
    return int(mark)


def _column(element, previous: int) -> int:
    mark = element.get("r")
    if mark is None:
        return previous + 1
    match = _CELL_REF.fullmatch(mark)
    if match is None:
        raise SpreadsheetError(f"XLSX 表格的单元格地址无效（{mark[:20]}）")
    return column_index_from_string(match.group(1))


def _date_text(raw: str, epoch) -> str:
    try:
        value = from_excel(float(raw), epoch)
    except (OverflowError, ValueError, TypeError):
        return raw
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()


def _value(element, strings: list[str], book) -> str | None:
    """Return a cell's value as text: shared and inline strings as they are, numbers as typed, TRUE/FALSE."""
    kind = element.get("t", "n")
    if kind == "inlineStr":
        inline = element.find(INLINE)
        return None if inline is None else _text(inline)
    raw = element.findtext(VALUE)
    if not raw:
        return None
    if kind == "s":
        index = int(raw) if raw.isdigit() and len(raw) <= 10 else -1
        if not 0 <= index < len(strings):
            raise SpreadsheetError(BROKEN)
        return strings[index]
    if kind == "b":
        return "TRUE" if raw.strip() == "1" else "FALSE"
    if kind == "n":
        style = element.get("s", "")
        if style.isdigit() and len(style) <= 6 and int(style) in book._date_formats and len(raw) <= 32:
            return _date_text(raw, book.epoch)
        return cell_text(raw)
    return raw  # str (a formula's cached text), e (#N/A …), d (an ISO date)


def _rows(book, source, strings: list[str], limits: Limits) -> Iterator[Row]:
    """Stream the sheet's XML: each cell is read when it ends and dropped, each row yielded when it ends."""
    counter = _Counter(limits)
    stack: list = []
    row_number = column = in_cell = 0
    values: dict[int, str] = {}
    for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
        if event == "start":
            if element.tag == ROW:
                row_number, column, values = _row_number(element, row_number), 0, {}
            elif element.tag == CELL:
                in_cell += 1
            stack.append(element)
            continue
        stack.pop()
        if element.tag == CELL:
            in_cell -= 1
            column = _column(element, column)
            value = _value(element, strings, book)
            if value not in (None, ""):
                counter.cell(row_number, column, value)
                values[column] = value
        elif element.tag == ROW and values and any(v.strip() for v in values.values()):
            yield Row(row_number, tuple(values.get(c) for c in range(1, max(values) + 1)))
        elif in_cell:
            continue  # a cell's value and text elements are read with the cell
        if stack:
            stack[-1].remove(element)  # read elements leave the tree: memory stays one row's worth
