"""Every cell of text that leaves the system as CSV or XLSX goes through here (formula injection, OWASP).

A community, street or user name, a note or a return reason that begins with = + - @ (or a tab or carriage
return) would otherwise run as a formula when the file is opened in Excel or WPS. For CSV such text is
prefixed with a single quote, as OWASP's "CSV Injection" page recommends; in XLSX it is written as a string
cell, never a formula. Numbers stay numbers in both.
"""

from __future__ import annotations

import csv
import datetime
import unicodedata
from collections.abc import Iterable
from typing import IO, Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Return text that no spreadsheet will read as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_cell(value: Any) -> Any:
    """Return a value for a CSV cell: text neutralised, numbers and empty cells unchanged."""
    return safe_text(value) if isinstance(value, str) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """Return a row of CSV cells."""
    return [csv_cell(value) for value in values]


class SafeCSVWriter:
    """csv.writer whose rows are neutralised; the one CSV writer of the project."""

    def __init__(self, stream: IO[str], **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(csv_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """csv.DictWriter whose text cells are neutralised."""

    def _dict_to_list(self, rowdict):
        return csv_row(super()._dict_to_list(rowdict))


def xlsx_cell(sheet: Worksheet, value: Any, *, font=None) -> WriteOnlyCell:
    """Return a write-only XLSX cell: text is always a string cell (never a formula), numbers stay numeric."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel shows it as typed text, without offering to evaluate it
    if font is not None:
        cell.font = font
    return cell


def xlsx_row(sheet: Worksheet, values: Iterable[Any], *, font=None) -> list[WriteOnlyCell]:
    """Return a row of safe XLSX cells for `sheet.append`."""
    return [xlsx_cell(sheet, value, font=font) for value in values]


def xlsx_values(sheet: Worksheet, values: Iterable[Any]) -> list[Any]:
    """Return a row for `sheet.append` that writes exactly what `xlsx_row` writes, with a cell object only for the
    text that needs one (a formula start, or an error code such as #N/A that openpyxl would type as an error).

    Any other text or number goes as a plain value, which openpyxl writes as the same string or number cell: a cell
    object costs it an exception per value (it tries to bind it as a value first), which for a 62,074-row export
    was a fifth of the time.
    """
    return [xlsx_cell(sheet, value) if isinstance(value, str) and (value.startswith(FORMULA_STARTS)
                                                                   or value in ERROR_CODES) else value
            for value in values]


def display_width(value: Any) -> int:
    """Return how many character cells a value takes in a spreadsheet column (CJK characters count two)."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def set_column_widths(sheet: Worksheet, widths: Iterable[float]) -> None:
    """Set the widths of the first columns (for a write-only sheet: before the first row is appended)."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def fitted_widths(headers: list[str], rows: Iterable[Iterable[Any]], *, header_cap: int = 16,
                  least: int = 6, most: int = 50) -> list[int]:
    """Return readable widths: the widest value of each column, and its header up to `header_cap` (it wraps)."""
    widths = [min(display_width(h), header_cap) for h in headers]
    for row in rows:
        for index, value in enumerate(row):
            if index < len(widths):
                widths[index] = max(widths[index], display_width(value))
    return [max(least, min(most, width + 2)) for width in widths]


class SafeSpreadsheetExportMixin:
    """Row writers for Wagtail's SpreadsheetExportMixin (IndexView, ReportView) that go through this module.

    Wagtail writes CSV cells raw and XLSX text as a string cell without a quote prefix; these overrides put
    both through `csv_cell` and `xlsx_cell`, keeping Wagtail's per-field preprocessing and date format.
    """

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {field: csv_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV))
             for field, value in row_dict.items()}
        )

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for field, value in row_dict.items():
            cell = xlsx_cell(worksheet, self.preprocess_field_value(field, value, self.FORMAT_XLSX))
            if date_format and isinstance(value, datetime.datetime):
                cell.number_format = date_format
            yield cell
