"""Bad input to import_divisions: every bad row named with its file and row (Excel's numbering), nothing written."""

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from communities.division_import import import_divisions
from tests.communities.divisions_data import SYSTEM, as_files, csv_bytes, raw_files, tables


def refused(files, **options) -> list[str]:
    pages = Page.objects.count()
    report = import_divisions(files, actor=SYSTEM, **options)
    assert not report.ok and Page.objects.count() == pages
    return [str(error) for error in report.errors]


@pytest.mark.django_db
def test_bad_rows_messages():
    data = tables()
    data["villages"] += [
        ["37081100200", "坏代码"], ["370811002003", "另一个名字"], ["370811999001", "孤儿社区"],
        ["370811002601", "超出范围"], ["", "没有代码"], ["370811002099", ""],
    ]
    messages = refused(as_files(data))
    assert messages == [
        "villages.csv 第223行：代码“37081100200”应为2、4、6、9或12位数字",
        "villages.csv 第224行：社区代码 370811002003 在 villages.csv 第3行 名为“颂运水庭社区居民委员会”，"
        "此处为“另一个名字”",
        "villages.csv 第226行：代码 370811002601 的村级码（第10–12位）“601”不在统计用区划代码的编制规则之内",
        "villages.csv 第227行：代码为空",
        "villages.csv 第228行：代码 370811002099 的名称为空",
    ]
    # The orphan is found once the rows themselves are sound.
    data["villages"] = data["villages"][:222] + [["370811999001", "孤儿社区"]]
    assert refused(as_files(data)) == ["villages.csv 第223行：上级街道/乡镇 370811999 不在导入的文件中，也不在名册中"]


@pytest.mark.django_db
def test_zero_parent_part_and_bad_urban_rural_class():
    rows = [["code", "name", "城乡分类代码"], ["370002", "零上级", ""], ["37", "山东省", ""],
            ["370811002003", "某社区", "999"]]
    assert refused([("x.csv", csv_bytes(rows))]) == [
        "x.csv 第2行：代码“370002”的上级部分为零，不是统计用区划代码",
        "x.csv 第4行：城乡分类代码“999”未知（应为 111、112、121、122、123、210、220）",
    ]


@pytest.mark.django_db
def test_unknown_header_and_unreadable_files():
    assert refused([("a.csv", csv_bytes([["编号", "地名"], ["37", "山东省"]]))]) == [
        "a.csv 第1行：第1行找不到代码列（列名应为 code 或 统计用区划代码 或 区划代码 或 代码；现有：编号，地名）"]
    assert refused([("b.xlsx", b"PK\x03\x04 not really a workbook")])[0].startswith("b.xlsx 第1行：XLSX 表格已损坏")
    assert refused([("c.csv", csv_bytes([["代码", "区划代码", "名称"]]))]) == [
        "c.csv 第1行：第1行有多个代码列（代码、区划代码），请只保留一个"]
    assert refused([("d.csv.gz", b"\x1f\x8b\x08\x00broken")])[0].startswith("d.csv.gz 第1行：无法解压 gzip 文件")


@pytest.mark.django_db
def test_a_retired_parent_needs_listing_again():
    import_divisions(raw_files(), actor=SYSTEM)
    data = tables()
    data["villages"] = [row for row in data["villages"] if not row[0].startswith("370826206")]
    data["streets"] = [row for row in data["streets"] if row[0] != "370826206"]
    assert import_divisions(as_files(data), actor=SYSTEM, retire_missing=True).ok
    data["villages"].append(["370826206201", "新村"])
    assert refused(as_files(data), retire_missing=True) == [
        "villages.csv 第207行：上级街道/乡镇 370826206 已撤销（区划调整），请同时导入它"]


@pytest.mark.django_db
def test_moves_file_errors():
    import_divisions(raw_files(), actor=SYSTEM)
    shapes = csv_bytes([["old_code", "new_code"], ["370811002004", "370811009"], ["3708110020", "1"]])
    assert refused(raw_files(), moves=("moves.csv", shapes)) == [
        "moves.csv 第2行：原代码 370811002004 与新代码 370811009 不是同一级",
        "moves.csv 第3行：代码“3708110020”应为2、4、6、9或12位数字",
    ]
    data = tables()
    data["villages"].append(["370811009099", "新社区"])
    moves = csv_bytes([["old_code", "new_code"], ["370811002999", "370811009099"],
                       ["370811002003", "370811002004"], ["370811002005", "370811009098"],
                       ["370811002006", "370811009099"]])
    assert refused(as_files(data), moves=("moves.csv", moves)) == [
        "moves.csv 第2行：原代码 370811002999 不在名册中",
        "moves.csv 第3行：新代码 370811002004 已在名册中",
        "moves.csv 第4行：新代码 370811009098 不在导入的文件中",
        "moves.csv 第5行：原代码 370811002006 仍在导入的文件中，不能迁移",
    ]
    # Headerless moves files are read too.
    assert refused(raw_files(), moves=("n.csv", csv_bytes([["370811002999", "370811009099"]]))) == [
        "n.csv 第1行：原代码 370811002999 不在名册中"]
    assert refused(raw_files(), moves=("m.csv", csv_bytes([["甲", "乙"], ["1", "2"]]))) == [
        "m.csv 第1行：第1行应为列名 old_code,new_code"]


@pytest.mark.django_db
def test_the_command_exits_with_every_bad_row(tmp_path):
    bad = tmp_path / "villages.csv"
    bad.write_bytes(csv_bytes([["code", "name"], ["3708110020031", "太长"], ["370811002003", ""]]))
    with pytest.raises(CommandError) as raised:
        call_command("import_divisions", str(bad))
    assert str(raised.value).splitlines() == [
        "导入失败，未写入任何数据：",
        "villages.csv 第2行：代码“3708110020031”应为2、4、6、9或12位数字",
        "villages.csv 第3行：代码 370811002003 的名称为空",
    ]
