"""A department's XLSX template (the indicators it reports, one row per input) and the import of a filled one:
read through the spreadsheet intake (bounded, cells as text), every value parsed before anything is locked, then
atomic through indicator_save with via="template", every bad cell named by its address (G7: …)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from intake import numbers, spreadsheets
from smartsite import display
from smartsite.spreadsheet import xlsx_row

from .document import input_help
from .figures import SOURCE_LABELS, computed_values
from .models import Department
from .selectors import AssessmentResult
from .services import OVERRIDE_NEEDS_NOTE, AssessmentError, IndicatorInput, indicator_read, indicator_write

SHEET = "填报"
OPTIONS = "选项"  # a hidden sheet: each level input's option labels, the range its drop-down lists
HEAD = ["指标编号", "一级指标", "指标名称", "输入项代码", "输入项", "填写说明", "填写值", "数据来源/说明",
        "当前得分与来源"]
META_ROW, HEAD_ROW, FIRST_ROW = 2, 3, 4
VALUE, NOTE = "G", "H"  # the columns a department fills
META = {"B": "round", "D": "level", "F": "code", "H": "department"}
MAX_TEMPLATE = 5 * 1024 * 1024
# A template holds a row per input (a few dozen); these bounds leave room for a department's own notes around it.
LIMITS = spreadsheets.Limits(bytes=MAX_TEMPLATE, unzipped=20 * 1024 * 1024, part=2 * 1024 * 1024, rows=5_000,
                             columns=50, cells=50_000)
BOLD, FILL = Font(bold=True), PatternFill("solid", fgColor="FFF7D6")


def _help(spec: dict[str, Any], computed: bool) -> str:
    text = input_help(spec)
    if spec["kind"] == "level":
        text += "；从下拉列表中选择（最低到最高）：" + " / ".join(o["label"] for o in spec["options"])
    if computed:
        text += "。本指标由社区数据汇总得出：留空即采用汇总值；填写即替代，须在“数据来源/说明”中写明理由"
    return text


def _status(figure) -> str:
    """Return what the indicator scores now and where its value comes from (with a computed value's figure)."""
    computed = computed_values(figure.definition, figure.derived) if figure.community is not None else {}
    shown = "；社区汇总值 " + display.percent(next(iter(computed.values()))) if computed else ""
    return f"{figure.score.points}分（{SOURCE_LABELS[figure.source]}{shown}）"


def _typed(spec: dict[str, Any], value: Any) -> Any:
    """Return an entered value as the template shows it: 是/否 for a bool, a level's label, like their drop-downs."""
    if spec["kind"] == "bool" and isinstance(value, bool):
        return "是" if value else "否"
    if spec["kind"] == "level":
        return next((o["label"] for o in spec["options"] if o["key"] == value), value)
    return value


def _options_range(options_sheet, spec: dict[str, Any]) -> str:
    """Write a level input's option labels in a column of the hidden options sheet and return their range.

    An in-cell list is limited to 255 characters, and the policy's level labels are sentences.
    """
    column = sum(1 for cell in options_sheet[1] if cell.value is not None) + 1  # the next free column
    for row, option in enumerate(spec["options"], start=1):
        options_sheet.cell(row=row, column=column, value=option["label"])
    letter = options_sheet.cell(row=1, column=column).column_letter
    return f"'{OPTIONS}'!${letter}$1:${letter}${len(spec['options'])}"


def _append_indicator(sheet, figure, category: str, bools: DataValidation, options_sheet) -> None:
    """Append one row per input of an indicator: the value and note cells are the ones to fill."""
    ind = figure.definition
    entered = figure.entered.values if figure.entered else {}
    for spec in ind["inputs"]:
        sheet.append(xlsx_row(sheet, [
            ind["number"], category, ind["name"], spec["key"], spec["label"], _help(spec, figure.community is not None),
            _typed(spec, entered.get(spec["key"])), figure.entered.note if figure.entered else "", _status(figure),
        ]))
        value, note = sheet[f"{VALUE}{sheet.max_row}"], sheet[f"{NOTE}{sheet.max_row}"]
        value.number_format = "@"  # keeps 88.5 as typed text, not a float
        value.fill = note.fill = FILL
        if spec["kind"] == "bool":
            bools.add(value.coordinate)
        elif spec["kind"] == "level":
            options = DataValidation(type="list", allow_blank=True, formula1=_options_range(options_sheet, spec))
            options.add(value.coordinate)
            sheet.add_data_validation(options)


def template_workbook(result: AssessmentResult, department: Department) -> bytes:
    """Return the department's template, written in the default language (Chinese) whoever downloads it: the
    import reads its sheet, headers and level label back (see _level_label)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _template_workbook(result, department)


def _template_workbook(result: AssessmentResult, department: Department) -> bytes:
    """Return the department's template for this assessment, filled with what is entered now."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    region, round_ = result.region, result.round
    sheet.append(xlsx_row(sheet, [f"{region.name} {round_.name} 自评填报模板（{department.name}）"], font=BOLD))
    sheet.append(xlsx_row(sheet, ["轮次", round_.code, "级别", _level_label(region), "代码", region.code, "部门",
                                  department.name, "请只填写 G、H 两列；不要修改前三行和其他列"]))
    sheet.append(xlsx_row(sheet, HEAD, font=BOLD))
    categories = {c["key"]: c["label"] for c in result.figures.level_def["categories"]}
    bools = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    sheet.add_data_validation(bools)
    options_sheet = book.create_sheet(OPTIONS)
    options_sheet.sheet_state = "hidden"
    for number in department.indicators:
        figure = result.figures.indicator(number)
        _append_indicator(sheet, figure, categories.get(figure.definition["category"], ""), bools, options_sheet)
    for column, width in zip("ABCDEFGHI", (8, 10, 30, 16, 34, 44, 40, 30, 24), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.column_dimensions["D"].hidden = True  # the input's internal key: read back by the import, not for people
    for cells in sheet.iter_rows(min_row=FIRST_ROW):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class CellError:
    cell: str
    message: str

    def __str__(self) -> str:
        return f"{self.cell}：{self.message}"


@dataclass
class TemplateReport:
    saved: int = 0
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class TemplateError(ValueError):
    """The upload is not a template of this assessment at all."""


def _rows(data: bytes) -> dict[int, tuple]:
    """Return the template sheet's rows that hold anything, by Excel row number, every cell as text."""
    if len(data) > MAX_TEMPLATE:
        raise TemplateError(f"模板文件超过{MAX_TEMPLATE // (1024 * 1024)} MB")
    if data[:4] != b"PK\x03\x04":
        raise TemplateError("请上传从本页下载的 XLSX 模板")
    try:
        table = spreadsheets.read_table(data, "template.xlsx", sheet=SHEET, limits=LIMITS)
    except spreadsheets.SpreadsheetError as exc:
        if exc.message == f"找不到工作表“{SHEET}”":
            raise TemplateError(f"{exc.message}：请使用从本页下载的模板") from exc
        raise TemplateError(exc.message) from exc
    return {row.number: row.values for row in table.rows}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _level_label(region) -> str:
    """Return the level as the template writes it: in the default language (Chinese), whoever downloads it, so a
    template filled in anywhere is read back the same way (the whole template is Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(region.level_label)


def _meta_errors(rows: dict[int, tuple], result: AssessmentResult, department: Department) -> list[CellError]:
    expected = {"round": result.round.code, "level": _level_label(result.region), "code": result.region.code,
                "department": department.name}
    # Templates written before the level was shown in Chinese carry its code ("city"): still theirs.
    also = {"level": result.region.level}
    meta = rows.get(META_ROW, ())
    errors = []
    for column, key in META.items():
        index = ord(column) - ord("A")
        found = _text(meta[index]) if index < len(meta) else ""
        if found not in (expected[key], also.get(key)):
            message = f"模板属于“{found or '（空）'}”，不是本次自评的“{expected[key]}”"
            errors.append(CellError(f"{column}{META_ROW}", message))
    return errors


def _level_key(spec: dict[str, Any], raw: Any) -> Any:
    """Accept a level option by its label (what the template offers) or by its key (older templates)."""
    if spec["kind"] == "level" and isinstance(raw, str):
        return next((o["key"] for o in spec["options"] if o["label"] == raw.strip()), raw)
    return raw


def _collect(rows: dict[int, tuple], result: AssessmentResult, department: Department,
             report: TemplateReport) -> dict[int, dict[str, Any]]:
    """Return, per indicator with anything filled, its values, the cell of each, its note and the note's cell."""
    found: dict[int, dict[str, Any]] = {}
    definitions = {f.number: f.definition for f in result.figures.indicators}
    for row, cells in sorted(rows.items()):
        if row < FIRST_ROW or not any(c not in (None, "") for c in cells):
            continue
        cells = tuple(cells) + (None,) * (len(HEAD) - len(cells))
        key, raw, note = _text(cells[3]), cells[6], _text(cells[7])
        try:
            number = numbers.integer_of(cells[0])
        except numbers.NumberError as exc:
            report.errors.append(CellError(f"A{row}", exc.message))
            continue
        if number is None or number not in department.indicators or number not in definitions:
            report.errors.append(CellError(f"A{row}", f"“{_text(cells[0])}”不是{department.name}负责的指标编号"))
            continue
        spec = next((s for s in definitions[number]["inputs"] if s["key"] == key), None)
        if spec is None:
            report.errors.append(CellError(f"D{row}", f"第{number}项没有输入项“{key}”"))
            continue
        entry = found.setdefault(number, {"values": {}, "cells": {}, "note": "", "note_cell": f"{NOTE}{row}"})
        entry["values"][key], entry["cells"][key] = _level_key(spec, raw), f"{VALUE}{row}"
        if note and not entry["note"]:
            entry["note"], entry["note_cell"] = note, f"{NOTE}{row}"
    return {n: entry for n, entry in found.items() if any(_text(v) for v in entry["values"].values())}


def _cell_errors(entry: dict[str, Any], exc: AssessmentError) -> list[CellError]:
    return [CellError(entry["cells"].get(key, entry["note_cell"]), message) for key, message in exc.errors.items()]


def _read(collected: dict[int, dict[str, Any]], result: AssessmentResult,
          report: TemplateReport) -> dict[int, IndicatorInput]:
    """Read every filled value before the import's transaction opens, naming each bad cell."""
    entered = {}
    for number, entry in collected.items():
        try:
            entered[number] = indicator_read(round_=result.round, region=result.region, number=number,
                                             values=entry["values"], note=entry["note"])
        except AssessmentError as exc:
            report.errors += _cell_errors(entry, exc)
            continue
        if entered[number].missing_note:
            report.errors.append(CellError(entry["note_cell"], str(OVERRIDE_NEEDS_NOTE)))
    return entered


def template_import(*, user, result: AssessmentResult, department: Department, data: bytes) -> TemplateReport:
    """Import a filled template atomically: all its values, or none and every bad cell named."""
    rows = _rows(data)
    report = TemplateReport(errors=_meta_errors(rows, result, department))
    if report.errors:
        return report
    collected = _collect(rows, result, department, report)
    entered = _read(collected, result, report)
    if report.errors:
        return report
    with transaction.atomic():
        for number, entry in collected.items():
            try:
                with transaction.atomic():
                    indicator_write(user=user, entered=entered[number], via="template", department=department.name)
                report.saved += 1
            except AssessmentError as exc:
                report.errors += _cell_errors(entry, exc)
            except PermissionDenied as exc:
                report.errors.append(CellError(entry["note_cell"], str(exc)))
        if report.errors:
            transaction.set_rollback(True)
    return report
