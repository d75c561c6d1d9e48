"""communities.tables: the one reader of the register's and division table's files."""

import gzip
import io

import openpyxl
import pytest

from communities.tables import GZIP_LIMIT, TableError, read_table, read_tables

ROWS = [["code", "name"], ["370811", "任城区"], ["", ""], ["370811002003", "颂运水庭社区居民委员会"]]


def csv_bytes(encoding: str) -> bytes:
    return "\n".join(",".join(row) for row in ROWS).encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_the_encodings_excel_saves(encoding):
    table = read_table(csv_bytes(encoding), "t.csv")
    assert table.header == ["code", "name"] and table.name == "t.csv"
    # Blank rows are left out; the others keep the numbers Excel shows them with.
    assert table.rows == [(2, ["370811", "任城区"]), (4, ["370811002003", "颂运水庭社区居民委员会"])]


def test_xlsx_numbers_come_back_as_codes_and_each_sheet_is_a_table():
    book = openpyxl.Workbook()
    book.active.title = "区县"
    book.active.append(["code", "name"])
    book.active.append([370811, "任城区"])
    villages = book.create_sheet("村")
    villages.append(["code", "name"])
    villages.append([370811002003.0, "颂运水庭社区居民委员会"])
    book.create_sheet("说明")  # an empty sheet holds no table
    buffer = io.BytesIO()
    book.save(buffer)
    tables = read_tables(buffer.getvalue(), "区划.xlsx")
    assert [t.name for t in tables] == ["区划.xlsx［区县］", "区划.xlsx［村］"]
    assert tables[1].rows == [(2, ["370811002003", "颂运水庭社区居民委员会"])]


def test_gzip_is_unpacked_within_a_limit(monkeypatch):
    assert read_table(gzip.compress(csv_bytes("utf-8")), "t.csv.gz").name == "t.csv"
    monkeypatch.setattr("communities.tables.GZIP_LIMIT", 10)
    with pytest.raises(TableError, match="解压后超过"):
        read_table(gzip.compress(csv_bytes("utf-8")), "t.csv.gz")
    assert GZIP_LIMIT >= 64 * 1024 * 1024


@pytest.mark.parametrize("content, message", [
    (b"", "第1行应为列名"),
    (b"PK\x03\x04broken", "XLSX 表格已损坏"),
    (b"\x81", "无法识别文件编码"),
])
def test_unreadable_files_are_named(content, message):
    with pytest.raises(TableError, match=message):
        read_table(content, "x.csv")
