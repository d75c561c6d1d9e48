"""Coverage exports: django-import-export resources with Chinese headers, written as CSV or streamed XLSX.

The resources define the columns and how each value is rendered (resource.export_resource per row); XLSX
rows are then streamed into an openpyxl write-only workbook instead of going through resource.export() and a
tablib Databook, which holds every cell as a Python object twice over: for 10,000 communities the Databook
path measured 4.3 s and +115 MB, the streamed one 2.7 s and +14 MB.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from functools import partial
from itertools import chain, islice
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from communities.models import ASSESSED_AS_CITY, ASSESSED_AS_COUNTY, UnitKind
from smartsite import display
from smartsite.spreadsheet import SafeCSVWriter, fitted_widths, set_column_widths, xlsx_row, xlsx_values

from .rollup import Report
from .selectors import CELL_LABELS

SHEETS = ("cities", "units", "communities")
SHEET_TITLES = {"cities": gettext_lazy("设区市"), "units": gettext_lazy("区县"), "communities": gettext_lazy("社区")}
ASSESSED_AS_LABELS = {
    ASSESSED_AS_CITY: gettext_lazy("计入设区市（主城区）"), ASSESSED_AS_COUNTY: gettext_lazy("按县评价"),
}
YES_NO = {True: gettext_lazy("是"), False: gettext_lazy("否")}
WIDTH_SAMPLE = 500  # rows looked at to size the columns; the rest are streamed
ITEM_WIDTH = 10  # 通过 / 未通过 / 待审核 / 未填报 under a wrapped "n.名称" header


def _number(column: str, attribute: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widgets.NumberWidget(coerce_to_string=False))


def _text(column: str, attribute: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column)


def _next(key: str):
    def value(entry: dict):
        upcoming = entry.get("next_tier")
        return None if not upcoming else upcoming.get(key)

    return value


def _stars(star: int | None) -> str | None:
    return _("%(star)s星") % {"star": star} if star else None


def _star(entry: dict) -> str | None:
    return _stars(entry.get("star"))


def _next_star(entry: dict) -> str | None:
    return _stars((entry.get("next_tier") or {}).get("star"))


class TierColumns(resources.Resource):
    """Points, star and the next tier: the columns cities and county units share."""

    points = _number(gettext_lazy("得分"), "points")
    star = fields.Field(column_name=gettext_lazy("星级"), dehydrate_method=_star)
    next_star = fields.Field(column_name=gettext_lazy("下一档星级"), dehydrate_method=_next_star)
    next_points = fields.Field(
        column_name=gettext_lazy("下一档得分"), dehydrate_method=_next("points"),
        widget=widgets.NumberWidget(coerce_to_string=False),
    )
    needed = fields.Field(
        column_name=gettext_lazy("距下一档还差智慧社区数"), dehydrate_method=_next("smart_communities_needed"),
        widget=widgets.NumberWidget(coerce_to_string=False),
    )


class CityResource(TierColumns):
    code = _text(gettext_lazy("设区市代码"), "code")
    name = _text(gettext_lazy("设区市"), "name")
    communities = _number(gettext_lazy("主城区社区总数"), "communities")
    smart = _number(gettext_lazy("智慧社区数"), "smart_communities")
    percent = _number(gettext_lazy("智慧社区覆盖率(%)"), "coverage_percent")

    class Meta:
        export_order = ("code", "name", "communities", "smart", "percent", "points", "star", "next_star",
                        "next_points", "needed")


class UnitResource(TierColumns):
    code = _text(gettext_lazy("区县代码"), "code")
    name = _text(gettext_lazy("区县"), "name")
    kind = fields.Field(column_name=gettext_lazy("类型"), dehydrate_method=lambda u: str(UnitKind(u["kind"]).label))
    city_code = _text(gettext_lazy("所属设区市代码"), "city_code")
    city_name = _text(gettext_lazy("所属设区市"), "city_name")
    assessed_as = fields.Field(
        column_name=gettext_lazy("评价口径"), dehydrate_method=lambda u: str(ASSESSED_AS_LABELS[u["assessed_as"]])
    )
    communities = _number(gettext_lazy("社区总数"), "communities")
    smart = _number(gettext_lazy("智慧社区数"), "smart_communities")
    percent = _number(gettext_lazy("智慧社区覆盖率(%)"), "coverage_percent")

    class Meta:
        export_order = ("code", "name", "kind", "city_code", "city_name", "assessed_as", "communities", "smart",
                        "percent", "points", "star", "next_star", "next_points", "needed")


class CommunityResource(resources.Resource):
    """One row per community; then one column per item of the standard (通过 / 未通过 / 待审核 / 未填报)."""

    code = _text(gettext_lazy("社区代码"), "code")
    name = _text(gettext_lazy("社区"), "name")
    # Names repeat across streets (four 幸福社区 in one unit): street and unit tell them apart.
    street_name = _text(gettext_lazy("所属街道/乡镇"), "street_name")
    unit_name = _text(gettext_lazy("所属区县"), "unit_name")
    unit_code = _text(gettext_lazy("所属区县代码"), "unit_code")
    in_scope = fields.Field(
        column_name=gettext_lazy("纳入统计（街道社区）"), dehydrate_method=lambda c: str(YES_NO[c["in_scope"]])
    )
    passed = _number(gettext_lazy("通过指标数"), "items_passed")
    total = _number(gettext_lazy("指标总数"), "items_total")
    rate = _number(gettext_lazy("指标通过率(%)"), "pass_rate_percent")
    smart = fields.Field(column_name=gettext_lazy("智慧社区"), dehydrate_method=lambda c: str(YES_NO[c["smart"]]))

    def __init__(self, items: Iterable[dict] = ()):
        super().__init__()
        items = list(items)
        self.item_count = len(items)
        for position, item in enumerate(items):
            self.fields[f"item_{item['number']}"] = fields.Field(
                column_name=f"{item['number']}.{item['name']}", dehydrate_method=_cell(position)
            )


def _cell(position: int):
    def label(community: dict) -> str:
        return str(CELL_LABELS[community["cells"][position]])

    return label


def row_exporter(resource: resources.Resource, **options) -> Callable[[dict], list]:
    """Return `resource.export_resource(row, **options)` as a function, each field's exporter looked up once.

    import-export looks each field's name and dehydrate method up again for every row (35 fields x 62,074 rows at
    Shandong's size); the values are the same calls in the same order (tests/coverage/test_exports.py).
    """
    exporters = []
    for field in resource.get_export_fields():
        dehydrate = field.get_dehydrate_method(resource.get_field_name(field))
        method = dehydrate if callable(dehydrate) else getattr(resource, dehydrate, None)
        exporters.append(method if method is not None else partial(field.export, **options))
    return lambda row: [export(row) for export in exporters]


def resources_for(report: Report) -> dict[str, tuple[resources.Resource, Iterable[dict]]]:
    """Return each sheet's resource and rows for a report (community rows carry their item letters)."""
    standard = report.round.standard
    communities = report.data["communities"]
    matrix = report.matrix(None)
    city_names = {c["code"]: c["name"] for c in report.data["cities"]}
    unit_names = {u["code"]: u["name"] for u in report.data["units"]}
    street_names = {code: s["name"] for code, s in report.streets.items()}
    rows = (
        {**c, "cells": matrix[c["code"]], "unit_name": unit_names.get(c["unit_code"]),
         "street_name": street_names.get(report.community_streets.get(c["code"]))}
        for c in communities
    )
    return {
        "cities": (CityResource(), report.data["cities"]),
        "units": (UnitResource(), ({**u, "city_name": city_names.get(u["city_code"])} for u in report.data["units"])),
        "communities": (CommunityResource(standard.item(n) for n in report.items), rows),
    }


def write_csv(report: Report, sheet: str, out: IO[str]) -> None:
    """Write one sheet as CSV (UTF-8; the caller adds a BOM for Excel when writing a file)."""
    resource, rows = resources_for(report)[sheet]
    writer = SafeCSVWriter(out)
    writer.writerow([str(header) for header in resource.get_export_headers()])
    export = row_exporter(resource)
    for row in rows:
        writer.writerow(export(row))


def csv_text(report: Report, sheet: str) -> str:
    """Return one sheet as CSV text."""
    out = io.StringIO()
    write_csv(report, sheet, out)
    return out.getvalue()


def write_xlsx(report: Report, out: IO[bytes] | str) -> None:
    """Stream the cities, units and communities sheets, plus a 说明 sheet, into an XLSX workbook."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet, (resource, rows) in resources_for(report).items():
        ws = book.create_sheet(str(SHEET_TITLES[sheet]))
        ws.freeze_panes = "C2"
        headers = [str(header) for header in resource.get_export_headers()]
        values = map(row_exporter(resource, force_native_type=True), rows)
        sample = list(islice(values, WIDTH_SAMPLE))
        # A write-only sheet takes its column widths before the first row.
        items = getattr(resource, "item_count", 0)
        fixed = len(headers) - items
        set_column_widths(ws, fitted_widths(headers[:fixed], (v[:fixed] for v in sample)) + [ITEM_WIDTH] * items)
        header_cells = xlsx_row(ws, headers, font=bold)
        for cell in header_cells:
            cell.alignment = wrap
        ws.append(header_cells)
        for line in chain(sample, values):
            ws.append(xlsx_values(ws, line))
    about = book.create_sheet(_("说明"))
    set_column_widths(about, [14, 80])
    for line in about_rows(report):
        about.append(xlsx_row(about, line))
    book.save(out)


def about_rows(report: Report) -> list[list]:
    """Return the 说明 sheet: round, standard, source of the figures and what each cell means."""
    data, snapshot = report.data, report.snapshot
    if snapshot:
        source = _("快照 #%(pk)s（%(note)s）") % {"pk": snapshot.pk, "note": snapshot.note or _("无说明")}
    else:
        source = _("实时数据")
    standard = _("%(code)s 第%(version)s版") % data["standard"]
    return [
        [_("轮次"), f"{report.round.name}（{data['round']}）"],
        [_("标准"), standard],
        [_("数据来源"), source],
        [_("生成时间"), display.local_time(data["generated_at"])],  # read by people; the JSON keeps ISO
        [_("统计范围"), _("只统计街道下辖社区（不含乡镇）；设区市只计主城区，县、县级市、独立性较强的建制区单独评价")],
        [_("通过"), _("已审核通过且全部规则、必填项和佐证照片达标")],
        [_("待审核"), _("已提交，等待区县审核")],
        [_("草稿"), _("社区已开始填写，尚未提交审核")],
        [_("未填报"), _("没有填报记录，或草稿中尚未填写任何内容")],
        [_("未通过"), _("其他情况：被退回，或已审核但规则未达标")],
    ]
