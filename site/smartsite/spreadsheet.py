"""Every cell of text that leaves the system as CSV or XLSX goes through here (formula injection, OWASP).

A community, street or user name, a note or a return reason that begins with = + - @ (or a tab or carriage
return) would otherwise run as a formula when the file is opened in Excel or WPS. For CSV such text is
prefixed with a single quote, as OWASP's "CSV Injection" page recommends; in XLSX it is written as a string
cell, never a formula. Numbers stay numbers in both.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

from openpyxl.cell import WriteOnlyCell
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
