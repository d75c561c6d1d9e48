"""Coverage exports: XLSX cells (opened with openpyxl), Chinese CSV headers, exports from a snapshot."""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from checklists.models import ItemResult, Status
from coverage.exports import resources_for, row_exporter
from coverage.rollup import report_for, snapshot_create
from coverage.selectors import ALL
from tests.coverage.coverage_factory import make_smart, set_results

SMART = ["379902001001", "379903001001", "379921001001"]


@pytest.fixture
def results(round_, demo):
    make_smart(round_, SMART)
    set_results(round_, "379902001002", {
        1: (Status.SUBMITTED, True), 2: (Status.RETURNED, True), 3: (Status.APPROVED, False),
    })
    ItemResult.objects.filter(community__code="379902001002", item_number=4).update(status=Status.DRAFT, values={})
    return round_


def xlsx(tmp_path, *args) -> dict:
    out = tmp_path / "coverage.xlsx"
    call_command("coverage", "--round", "2026", "--format", "xlsx", "--out", str(out), *args)
    book = load_workbook(out, read_only=True)
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_xlsx_sheets_headers_and_cells(results, tmp_path):
    sheets = xlsx(tmp_path)
    assert list(sheets) == ["设区市", "区县", "社区", "说明"]
    cities = sheets["设区市"]
    assert cities[0][:6] == ["设区市代码", "设区市", "主城区社区总数", "智慧社区数", "智慧社区覆盖率(%)", "得分"]
    # 2 of 16 main urban communities: 12.5% -> no points yet; >= 30% needs 4.8 -> 5 smart, 3 more.
    assert cities[1] == ["379900", "示范市", 16, 2, 12.5, 0, None, "4星", 12, 3]
    units = {row[0]: row for row in sheets["区县"][1:]}
    assert sheets["区县"][0][4:6] == ["所属设区市", "评价口径"]
    assert units["379902"][:9] == ["379902", "示范中心区", "主城区（计入设区市）", "379900", "示范市",
                                   "计入设区市（主城区）", 9, 1, 11.11]
    # County 379921: 1 of 4 = 25%; >= 50% needs 2, one more.
    assert units["379921"] == ["379921", "示范县", "县", "379900", "示范市", "按县评价", 4, 1, 25.0, 0, None, "4星",
                               12, 1]
    header, *rows = sheets["社区"]
    assert header[:10] == ["社区代码", "社区", "所属街道/乡镇", "所属区县", "所属区县代码", "纳入统计（街道社区）",
                           "通过指标数", "指标总数", "指标通过率(%)", "智慧社区"]
    assert header[10] == "1.宽带网络" and header[34] == "25.创新应用" and len(header) == 35
    communities = {row[0]: row for row in rows}
    assert len(communities) == 33
    smart = communities["379902001001"]
    assert smart[2:5] == ["东城街道", "示范中心区", "379902"]
    assert smart[5:10] == ["是", 25, 25, 100.0, "是"] and set(smart[10:]) == {"通过"}
    mixed = communities["379902001002"]
    assert mixed[6] == 21 and mixed[9] == "否"
    assert mixed[10:15] == ["待审核", "未通过", "未通过", "未填报", "通过"]
    assert set(communities["379902001003"][10:]) == {"未填报"}  # no result at all
    assert communities["379902101001"][5] == "否"  # a town community: not counted
    about = dict((row[0], row[1]) for row in sheets["说明"])
    assert about["数据来源"] == "实时数据" and about["标准"] == "SD-ZHSQ-2019 第1版"


def test_csv_has_chinese_headers(results, tmp_path):
    for sheet, first in (("cities", "设区市代码"), ("units", "区县代码"), ("communities", "社区代码")):
        out = tmp_path / f"{sheet}.csv"
        call_command("coverage", "--round", "2026", "--format", "csv", "--sheet", sheet, "--out", str(out))
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows the Chinese headers
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[0][0] == first and all(not h.isascii() for h in rows[0])
    stdout = io.StringIO()
    call_command("coverage", "--round", "2026", "--format", "csv", stdout=stdout)
    rows = list(csv.reader(io.StringIO(stdout.getvalue())))
    assert rows[0][0] == "区县代码" and len(rows) == 6  # units by default: 5 units


def test_exports_from_a_snapshot_do_not_drift(results, tmp_path):
    bureau = get_user_model().objects.get(username="bureau")
    snapshot = snapshot_create(round_=results, user=bureau, note="申报用")
    make_smart(results, ["379902001003", "379902001004"])
    live = xlsx(tmp_path)
    frozen = xlsx(tmp_path, "--snapshot", str(snapshot.pk))
    assert live["设区市"][1][3] == 4 and frozen["设区市"][1][3] == 2
    frozen_rows = {row[0]: row for row in frozen["社区"][1:]}
    assert set(frozen_rows["379902001003"][10:]) == {"未填报"}
    assert frozen_rows["379902001002"][10:12] == ["待审核", "未通过"]
    assert frozen_rows["379902001002"][2:4] == ["东城街道", "示范中心区"]  # the snapshot keeps the streets
    assert dict((row[0], row[1]) for row in frozen["说明"])["数据来源"].startswith(f"快照 #{snapshot.pk}")
    out = tmp_path / "frozen.json"
    call_command("coverage", "--round", "2026", "--snapshot", str(snapshot.pk), "--out", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"round", "standard", "generated_at", "cities", "units", "communities"}
    assert data["cities"][0]["smart_communities"] == 2


def test_command_errors(results, tmp_path):
    with pytest.raises(CommandError, match="轮次 1999 不存在"):
        call_command("coverage", "--round", "1999")
    with pytest.raises(CommandError, match="--out"):
        call_command("coverage", "--round", "2026", "--format", "xlsx")
    with pytest.raises(CommandError, match="快照"):
        call_command("coverage", "--round", "2026", "--snapshot", "999")


def test_xlsx_columns_are_readable(results, tmp_path):
    out = tmp_path / "coverage.xlsx"
    call_command("coverage", "--round", "2026", "--format", "xlsx", "--out", str(out))
    book = load_workbook(out)
    communities = book["社区"]
    header = [cell.value for cell in communities[1]]
    assert header[2:4] == ["所属街道/乡镇", "所属区县"]
    widths = {col: communities.column_dimensions[col].width for col in "ABCDEFK"}
    assert widths["A"] >= 14 and widths["B"] >= 10 and widths["C"] >= 10 and widths["D"] >= 12
    assert widths["K"] == 10  # item 1: 通过 / 未通过 under a wrapped header
    assert communities["K1"].alignment.wrap_text
    assert book["设区市"].column_dimensions["B"].width == 8  # 示范市, plus a margin
    assert book["区县"].column_dimensions["B"].width == 12 and book["说明"].column_dimensions["B"].width == 80


@pytest.mark.parametrize("options", [{}, {"force_native_type": True}], ids=["csv", "xlsx"])
def test_row_exporter_gives_what_import_export_gives(results, options):
    for resource, rows in resources_for(report_for(results, ALL)).values():
        rows = list(rows)
        export = row_exporter(resource, **options)
        assert [export(row) for row in rows] == [resource.export_resource(row, **options) for row in rows]
