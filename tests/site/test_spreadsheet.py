"""smartsite.spreadsheet: the one formula-safe cell writer for CSV and XLSX."""

import io
import zipfile

from openpyxl import Workbook

from smartsite.spreadsheet import (
    SafeCSVWriter,
    SafeDictWriter,
    csv_cell,
    display_width,
    fitted_widths,
    safe_text,
    xlsx_row,
    xlsx_values,
)
from tests.site.formula_checks import DANGEROUS, assert_csv_inert, assert_xlsx_inert


def test_each_dangerous_start_is_quoted_and_plain_text_is_not():
    assert [safe_text(value) for value in DANGEROUS] == ["'" + value for value in DANGEROUS]
    assert safe_text("和平社区") == "和平社区" and safe_text("a=b") == "a=b" and safe_text("") == ""


def test_numbers_and_empty_cells_are_left_alone():
    assert [csv_cell(v) for v in (-3, 2.5, 0, None, True)] == [-3, 2.5, 0, None, True]


def test_csv_writers():
    out = io.StringIO()
    SafeCSVWriter(out).writerows([DANGEROUS, [-1, 2.5]])
    rows = assert_csv_inert(out.getvalue())
    assert rows[1] == ["-1", "2.5"]  # a negative number is a number, not a formula
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=["a", "b"])
    writer.writeheader()
    writer.writerow({"a": DANGEROUS[0], "b": 7})
    assert out.getvalue().splitlines()[1].startswith("\"'=HYPERLINK")


def test_xlsx_cells_are_strings_with_a_quote_prefix_and_numbers_stay_numbers():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("t")
    sheet.append(xlsx_row(sheet, [*DANGEROUS, -4, 2.5, "和平"]))
    out = io.BytesIO()
    book.save(out)
    row = assert_xlsx_inert(out.getvalue())["t"][0]
    assert [(c.value, c.data_type) for c in row[-3:]] == [(-4, "n"), (2.5, "n"), ("和平", "s")]
    assert not row[-1].quotePrefix


def test_widths_count_chinese_characters_twice():
    assert display_width("和平社区") == 8 and display_width("370102") == 6 and display_width(None) == 0
    assert fitted_widths(["社区代码", "社区"], [["370102001001", "和平社区"]]) == [14, 10]
    assert fitted_widths(["很长很长很长很长很长的表头"], []) == [18]  # a long header wraps instead


def _sheet_xml(make_row) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    for values in ([*DANGEROUS, "#N/A", "#DIV/0!", "="], ["通过", "a=b", -3, 2.5, 0, None, True, "", "幸福社区"]):
        sheet.append(make_row(sheet, values))
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_xlsx_values_write_exactly_what_xlsx_row_writes():
    # Plain values where no cell object is needed: the sheet's XML (types, quote prefixes) is byte for byte the same.
    assert _sheet_xml(xlsx_values) == _sheet_xml(xlsx_row)
    book = Workbook(write_only=True)
    row = xlsx_values(book.create_sheet(), ["=1+1", "#N/A", "通过", 3])
    assert [type(value).__name__ for value in row] == ["Cell", "Cell", "str", "int"]
