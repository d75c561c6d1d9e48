"""import_assessment (interfaces.md "City and county self-assessment"): one indicator value per JSONL line,
through assessments.services (indicator_read, then indicator_write) with via="import", so every value is checked
and logged as if
entered on the page, as done by the importing user. Atomic: any bad line and nothing is kept; every bad line
is reported with its number.

Every line is read (intake.jsondata: bounded size, depth and numbers) and its values checked before the import's
one transaction opens, so nothing is parsed while the round's scoring pin is locked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from intake import jsondata
from smartsite.import_report import ImportReport, RowError
from standards.models import Round

from .models import Level
from .regions import Region, region_by
from .services import OVERRIDE_NEEDS_NOTE, AssessmentError, IndicatorInput, indicator_read, indicator_write

KEYS = {"round", "level", "code", "indicator", "values", "note"}
REQUIRED = ("round", "level", "code", "indicator", "values")


class AssessmentFileError(ValueError):
    """The file as a whole cannot be read."""


@dataclass
class AssessmentReport(ImportReport):
    saved: int = 0
    cleared: int = 0

    def describe(self) -> str:
        return f"保存指标{self.saved}项" + (f"，清除{self.cleared}项" if self.cleared else "")


def read_lines(path: Path | str) -> list[tuple[int, str]]:
    """Return (line number, text) of the file's non-blank lines."""
    try:
        return jsondata.read_lines(path)
    except jsondata.JsonError as exc:
        raise AssessmentFileError(exc.message) from exc


class LineProblem(Exception):
    """One line cannot be imported; the message says why."""


def _shape(record) -> None:
    if not isinstance(record, dict):
        raise LineProblem("每行必须是一个 JSON 对象")
    problems = [f"缺少 {key}" for key in REQUIRED if record.get(key) in (None, "")]
    if unknown := jsondata.unknown_fields(record, KEYS):
        problems.append(jsondata.unknown_message(unknown))
    if record.get("level") not in (None, "", *Level.values):
        problems.append(f"level 应为 city 或 county（现为“{record['level']}”）")
    indicator = record.get("indicator")
    if indicator not in (None, "") and (isinstance(indicator, bool) or not isinstance(indicator, int)):
        problems.append(f"indicator 必须是指标编号（整数，现为“{indicator}”）")
    if "values" in record and not isinstance(record["values"], dict):
        problems.append("values 必须是以输入项为键的对象")
    if not isinstance(record.get("note", ""), str):
        problems.append("note 必须是文字")
    if problems:
        raise LineProblem("；".join(problems))


class _Lookups:
    """Rounds and regions named in the file, each fetched once."""

    def __init__(self):
        self.rounds: dict[str, Round | None] = {}
        self.regions: dict[tuple[str, str], Region | None] = {}

    def round(self, code) -> Round:
        code = str(code).strip()
        if code not in self.rounds:
            self.rounds[code] = Round.objects.filter(code=code).first()
        if self.rounds[code] is None:
            raise LineProblem(f"轮次 {code} 不存在")
        return self.rounds[code]

    def region(self, level: str, code) -> Region:
        key = (level, str(code).strip())
        if key not in self.regions:
            self.regions[key] = region_by(*key)
        if self.regions[key] is None:
            what = "设区市" if level == Level.CITY else "县级评价单位（县、县级市或独立性较强的建制区）"
            raise LineProblem(f"找不到{what} {key[1]}")
        return self.regions[key]


@dataclass
class Line:
    number: int
    entered: IndicatorInput


def _check(text: str, *, lookups: _Lookups, seen: dict, number: int) -> Line:
    """Read one line and check its values, locking nothing. Raise LineProblem when it cannot be imported."""
    try:
        # Decimals stay exact as typed: 88.50 must not become the binary float 88.5 on its way in.
        record = jsondata.loads(text)
    except jsondata.JsonError as exc:
        raise LineProblem(exc.message) from exc
    _shape(record)
    round_ = lookups.round(record["round"])
    region = lookups.region(record["level"], record["code"])
    key = (round_.pk, region.pk, record["indicator"])
    if key in seen:
        raise LineProblem(f"与第{seen[key]}行是同一指标（第{record['indicator']}项），每项只能有一行")
    seen[key] = number
    try:
        entered = indicator_read(round_=round_, region=region, number=record["indicator"], values=record["values"],
                                 note=record.get("note", ""))
    except AssessmentError as exc:
        raise LineProblem("；".join(exc.errors.values())) from exc
    if entered.missing_note:
        raise LineProblem(str(OVERRIDE_NEEDS_NOTE))
    return Line(number, entered)


def _apply(line: Line, *, user) -> bool:
    """Write one checked line; return whether it cleared a value. Raise LineProblem when it cannot be imported."""
    try:
        saved = indicator_write(user=user, entered=line.entered, via="import")
    except AssessmentError as exc:
        raise LineProblem("；".join(exc.errors.values())) from exc
    except PermissionDenied as exc:
        raise LineProblem(f"{exc}（{line.entered.region.name}）") from exc
    return saved is None


def import_assessment(path: Path | str, *, user, dry_run: bool = False) -> AssessmentReport:
    """Import an assessment JSONL file atomically as `user`; with dry_run, check everything and keep nothing."""
    lines = read_lines(path)
    report = AssessmentReport(rows=len(lines), dry_run=dry_run, file=Path(path).name)
    lookups, seen, checked = _Lookups(), {}, []
    for number, text in lines:
        try:
            checked.append(_check(text, lookups=lookups, seen=seen, number=number))
        except LineProblem as exc:
            report.errors.append(RowError(number, str(exc)))
    with transaction.atomic():
        for line in checked:
            try:
                with transaction.atomic():
                    cleared = _apply(line, user=user)
            except LineProblem as exc:
                report.errors.append(RowError(line.number, str(exc)))
                continue
            report.cleared += cleared
            report.saved += not cleared
        if report.errors or dry_run:
            transaction.set_rollback(True)
    report.errors.sort(key=lambda error: error.line)
    return report
