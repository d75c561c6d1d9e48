"""Roster files written in the test: CSV (UTF-8 or GBK) and XLSX, as bureaus save them from Excel."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

HEADER = ("姓名", "手机号", "角色", "范围代码", "工作单位", "状态")


def roster(*rows, header=HEADER) -> bytes:
    """Return a UTF-8 CSV roster with the given rows (tuples in the header's order; short rows are padded)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([*row, *[""] * (len(header) - len(row))])
    return out.getvalue().encode("utf-8")


def roster_xlsx(*rows, header=HEADER) -> bytes:
    """Return the roster as an XLSX workbook; phone numbers typed as numbers, as Excel users do."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([int(cell) if cell.isdigit() else cell for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
