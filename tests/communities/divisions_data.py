"""The 济宁市 extract of the official division table (data/jining, see its SOURCE.md) and ways to change it as
the next year's table would: files as the import takes them, (name, bytes)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from audit.actors import system

DATA = Path(__file__).parent / "data" / "jining"
NAMES = ("provinces", "cities", "areas", "streets", "villages")
SYSTEM = system("tests")
# What the extract holds, by level.
COUNTS = {"city": 1, "unit": 4, "street": 9, "community": 221}


def tables() -> dict[str, list[list[str]]]:
    """The five files as rows (the header first)."""
    return {name: list(csv.reader(io.StringIO((DATA / f"{name}.csv").read_text(encoding="utf-8"))))
            for name in NAMES}


def raw_files() -> list[tuple[str, bytes]]:
    """The five files byte for byte."""
    return [(f"{name}.csv", (DATA / f"{name}.csv").read_bytes()) for name in NAMES]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


def as_files(data: dict[str, list[list[str]]], encoding: str = "utf-8") -> list[tuple[str, bytes]]:
    return [(f"{name}.csv", csv_bytes(rows, encoding)) for name, rows in data.items()]


def one_table(data: dict[str, list[list[str]]] | None = None, pad: bool = False) -> list[list[str]]:
    """Every level in one table of code and name (codes padded to 12 digits when `pad`)."""
    data = data or tables()
    rows = [["统计用区划代码", "名称"]]
    for name in NAMES:
        rows += [[row[0].ljust(12, "0") if pad else row[0], row[1]] for row in data[name][1:]]
    return rows


def xlsx_bytes(sheets: dict[str, list[list[str]]], numbers: bool = True) -> bytes:
    """A workbook with one sheet per table; codes typed as numbers, as Excel users do."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for i, row in enumerate(rows):
            sheet.append([int(v) if numbers and i and v.isdigit() else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def without(data: dict, *codes: str) -> dict:
    """The table without the rows of these codes."""
    return {name: [row for row in rows if row[0] not in codes] for name, rows in data.items()}


def renamed(data: dict, code: str, name: str) -> dict:
    return {table: [[row[0], name, *row[2:]] if row[0] == code else row for row in rows]
            for table, rows in data.items()}


def recoded(data: dict, old: str, new: str, name: str | None = None) -> dict:
    """The table with the unit `old` listed as `new` instead (and every code under it renumbered)."""
    def change(row):
        if row[0].startswith(old):
            row = [new + row[0][len(old):], name if name and row[0] == old else row[1], *row[2:]]
        return [new if cell == old else cell for cell in row]

    return {table: [change(row) if i else row for i, row in enumerate(rows)] for table, rows in data.items()}
