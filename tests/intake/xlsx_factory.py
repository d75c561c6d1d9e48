"""Build real XLSX bytes with openpyxl, then rewrite their parts as a hostile or odd producer would: a declared
dimension of the whole sheet, a DOCTYPE with entities, a shared-strings table, parts that inflate beyond a bound."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
ENTITIES = '<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


def workbook(rows: Iterable[Iterable[object]], title: str = "Sheet") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite(data: bytes, changes: dict[str, Callable[[str], str] | str]) -> bytes:
    """Return the package with parts changed (a function of the old text) or added (new text)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            text = source.read(name).decode("utf-8")
            change = changes.get(name)
            target.writestr(name, change(text) if callable(change) else change if change is not None else text)
        for name, change in changes.items():
            if name not in source.namelist():
                target.writestr(name, change if isinstance(change, str) else change(""))
    return out.getvalue()


def _row(ref: str) -> str:
    return re.match(r"[A-Z]+(\d+)", ref).group(1)


def with_cell(text: str, ref: str, value: str = "x") -> str:
    """Add one inline-string cell in its own row at the end of the sheet."""
    cell = f'<row r="{_row(ref)}"><c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c></row>'
    return text.replace("</sheetData>", cell + "</sheetData>")


def dimension_bomb(data: bytes, last: str = "XFD1048576", sheet: str = SHEET) -> bytes:
    """Declare the whole sheet as used (A1:XFD1048576) and put one cell at `last`, as the red team's 6 KB file."""
    return rewrite(data, {sheet: lambda text: with_cell(
        re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', text), last)})


def with_doctype(data: bytes, part: str = SHEET, doctype: str = ENTITIES) -> bytes:
    """Put a DOCTYPE (by default with entity declarations) before the part's root element."""
    return rewrite(data, {part: lambda text: re.sub(r"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or "") + doctype,
                                                     text, count=1)})


def with_shared_strings(data: bytes, strings: list[str], cells: dict[str, int]) -> bytes:
    """Add a shared-strings table and cells (ref → string index) that use it, as Excel itself writes strings."""
    table = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
    rows = "".join(f'<row r="{_row(ref)}"><c r="{ref}" t="s"><v>{index}</v></c></row>'
                   for ref, index in cells.items())
    override = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sharedStrings+xml"/>')
    return rewrite(data, {
        "xl/sharedStrings.xml": table,
        SHEET: lambda text: text.replace("</sheetData>", rows + "</sheetData>"),
        "[Content_Types].xml": lambda text: text.replace("</Types>", override + "</Types>"),
    })
