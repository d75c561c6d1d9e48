"""The spreadsheet intake: cells read as they come (never padded to the sheet's declared dimension), bounded rows,
columns, cells, cell text and inflated size, DOCTYPE and entities refused by name, CSV in the encodings Chinese
offices save, and typed numbers back as the text a person typed."""

import io
import tracemalloc
import zipfile

import pytest

from intake import spreadsheets
from intake.spreadsheets import DOCTYPE, Limits, Row, SpreadsheetError, read_table
from tests.intake.xlsx_factory import (
    SHEET,
    dimension_bomb,
    rewrite,
    with_cell,
    with_doctype,
    with_shared_strings,
    workbook,
)

HEAD = ["city_code", "community_code", "households"]


def test_the_declared_dimension_is_ignored_and_rows_are_not_padded():
    # The sheet says A1:XFD1048576; openpyxl's read-only reader would pad 60,000 rows to 16,384 cells (7.9 GB).
    data = dimension_bomb(workbook([HEAD, ["370100", 370102001001.0, 1200]]), last="C60000")
    assert len(data) < 10_000  # the red team's file was 6 KB
    tracemalloc.start()
    table = read_table(data, "register.xlsx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert table.rows == [Row(1, tuple(HEAD)), Row(2, ("370100", "370102001001", "1200")),
                          Row(60000, (None, None, "x"))]
    assert peak < 20 * 1024 * 1024


def test_a_cell_beyond_the_limits_is_named_where_it_is():
    bomb = dimension_bomb(workbook([HEAD]), last="XFD1048576")
    with pytest.raises(SpreadsheetError) as refused:
        read_table(bomb)
    assert refused.value.message == "第1048576行：表格超过100000行，请拆分后分批导入"
    wide = rewrite(workbook([HEAD]), {SHEET: lambda text: with_cell(text, "XFD2")})
    with pytest.raises(SpreadsheetError, match="XFD2：表格超过200列"):
        read_table(wide)
    with pytest.raises(SpreadsheetError, match="C2：表格超过5个非空单元格"):
        read_table(workbook([HEAD, ["1", "2", "3"]]), limits=Limits(cells=5))
    with pytest.raises(SpreadsheetError, match="B2：单元格内容超过20个字符"):
        read_table(workbook([HEAD, ["1", "x" * 21]]), limits=Limits(chars=20))


@pytest.mark.parametrize("part", [SHEET, "xl/workbook.xml", "[Content_Types].xml", "xl/styles.xml", "_rels/.rels"])
def test_a_doctype_in_any_part_is_refused_by_name(part):
    with pytest.raises(SpreadsheetError) as refused:
        read_table(with_doctype(workbook([HEAD]), part))
    assert refused.value.message == DOCTYPE


def test_a_doctype_without_entities_and_in_the_shared_strings_too():
    plain = with_doctype(workbook([HEAD]), SHEET, doctype="<!DOCTYPE worksheet>")
    with pytest.raises(SpreadsheetError, match="DOCTYPE"):
        read_table(plain)
    shared = with_shared_strings(workbook([HEAD]), ["甲", "乙"], {"A2": 1})
    assert read_table(shared).rows[1] == Row(2, ("乙",))
    with pytest.raises(SpreadsheetError, match="DOCTYPE"):
        read_table(with_doctype(shared, "xl/sharedStrings.xml"))


def test_shared_strings_are_counted_and_must_exist():
    shared = with_shared_strings(workbook([HEAD]), ["x"] * 20, {"A2": 0})
    with pytest.raises(SpreadsheetError, match="共享字符串超过10个"):
        read_table(shared, limits=Limits(cells=10))
    dangling = with_shared_strings(workbook([HEAD]), ["x"], {"A2": 7})
    with pytest.raises(SpreadsheetError, match="文件已损坏"):
        read_table(dangling)


def test_the_archive_is_checked_before_anything_inflates():
    big = rewrite(workbook([HEAD]), {"xl/media/padding.bin": "0" * (2 * 1024 * 1024)})
    assert len(big) < 50_000
    with pytest.raises(SpreadsheetError, match="XLSX 表格解压后过大（超过1 MB）"):
        read_table(big, limits=Limits(unzipped=1024 * 1024))
    styles = rewrite(workbook([HEAD]), {"xl/styles.xml": lambda text: text.replace(
        "</styleSheet>", "<!--" + "x" * (300 * 1024) + "--></styleSheet>")})
    with pytest.raises(SpreadsheetError, match="xl/styles.xml 部分过大"):
        read_table(styles, limits=Limits(part=256 * 1024))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(SpreadsheetError, match="不是 XLSX 表格"):
        read_table(out.getvalue())
    with pytest.raises(SpreadsheetError, match="已损坏或不完整"):
        read_table(b"PK\x03\x04" + b"\0" * 40)
    with pytest.raises(SpreadsheetError, match="文件超过1 KB"):
        read_table(b"a,b\n" * 1000, limits=Limits(bytes=1024))


def test_a_broken_sheet_and_an_old_xls_are_named():
    broken = rewrite(workbook([HEAD]), {SHEET: lambda text: text.replace("</sheetData>", "<row><c>")})
    with pytest.raises(SpreadsheetError, match="文件已损坏"):
        read_table(broken)
    with pytest.raises(SpreadsheetError, match="不支持旧版 XLS"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "register.xls")
    with pytest.raises(SpreadsheetError, match="找不到工作表“填报”"):
        read_table(workbook([HEAD]), sheet="填报")


def test_excel_row_numbers_survive_gaps_and_iteration_reads_like_a_dataset():
    data = rewrite(workbook([HEAD, ["370100", "370102001001", "12"]]),
                   {SHEET: lambda text: with_cell(text, "B7", "370102001002")})
    table = read_table(data, "r.xlsx")
    assert [row.number for row in table.rows] == [1, 2, 7] and table.headers == HEAD
    assert [(n, values) for n, values in enumerate(table, start=2) if values] == [
        (2, ("370100", "370102001001", "12")), (7, (None, "370102001002"))]


def test_typed_values_come_back_as_text():
    table = read_table(workbook([["code", "share", "flag", "date"], [370102001001.0, 88.5, True, None]]))
    assert table.rows[1].values == ("370102001001", "88.5", "TRUE")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding_offices_save(encoding):
    text = "city_code,city_name\n370100,济南市\n\n370200,青岛市\n"
    table = read_table(text.encode(encoding), "register.csv")
    assert table.headers == ["city_code", "city_name"]
    assert table.rows[1:] == [Row(2, ("370100", "济南市")), Row(4, ("370200", "青岛市"))]


def test_csv_is_bounded_and_refused_by_name():
    with pytest.raises(SpreadsheetError, match="无法识别文件编码"):
        read_table(b"\xff\xfe\x00\x81\x30", "r.csv")
    with pytest.raises(SpreadsheetError, match="第3行：表格超过2行"):
        read_table(b"a\nb\nc\n", "r.csv", limits=Limits(rows=2))
    with pytest.raises(SpreadsheetError, match="D1：表格超过3列"):
        read_table(b"a,b,c,d\n", "r.csv", limits=Limits(columns=3))
    with pytest.raises(SpreadsheetError, match="第1行：CSV 格式有误"):
        read_table(b'"' + b"x" * 200_000 + b'"\n', "r.csv")


def test_the_one_reader_is_what_evidence_workbooks_are_checked_with():
    with pytest.raises(SpreadsheetError, match="已损坏，请重新保存"):
        spreadsheets.check_archive(_corrupted(workbook([HEAD])), verify=True)


def _corrupted(data: bytes) -> bytes:
    """Flip a byte inside a stored part's data so that only its CRC tells."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
    raw = bytearray(out.getvalue())
    at = raw.index(b"<worksheet") + 20
    raw[at] ^= 0x01
    return bytes(raw)
