"""Every pilot's history as CSV or XLSX (one row per stage move; the workbook adds one row per pilot), written
through the project's one formula-safe writer (smartsite.spreadsheet): a reason or a name that begins with
"=" stays text."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from smartsite.spreadsheet import SafeCSVWriter, fitted_widths, set_column_widths, xlsx_row
from standards.scoring import round_half_up

from . import selectors, workflow
from .models import Batch, Pilot, StageRecord
from .panel import panel_of
from .stages import ReviewKind, Stage, stars

# The programme is the province's: times are Shandong's whatever the server's zone.
LOCAL = ZoneInfo("Asia/Shanghai")
BOLD = Font(bold=True)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HISTORY_HEAD = ["批次年度", "申报市", "试点地区", "级别", "申报星级", "操作", "原阶段", "新阶段", "理由",
                "新阶段截止日期", "操作人", "操作时间"]
PILOT_HEAD = ["批次年度", "申报市", "试点地区", "级别", "申报星级", "当前阶段", "本阶段截止日期", "是否逾期",
              "授予星级", *[f"{kind.label}专家总分" for kind in ReviewKind]]


def local_time(value) -> str:
    return timezone.localtime(value, LOCAL).strftime("%Y-%m-%d %H:%M") if value else ""


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _pilot_columns(pilot: Pilot) -> list[Any]:
    return [pilot.application.batch.year, pilot.application.city.title, pilot.region.title,
            pilot.get_level_display(), stars(pilot.target_star)]


def history_rows(records: Iterable[StageRecord]) -> Iterable[list[Any]]:
    """Yield one row per move, as selectors.history_rows orders them (pilot by pilot, oldest first)."""
    for record in records:
        move = workflow.BY_NAME.get(record.move)
        yield [*_pilot_columns(record.pilot), str(move.label) if move else record.move, str(Stage(record.source).label),
               str(Stage(record.target).label), record.reason, record.deadline.isoformat() if record.deadline else "",
               _who(record.by), local_time(record.at)]


def _signed_total(review) -> Decimal | int | str:
    """The panel's mean once the panel is complete (an integer when exact, else rounded half-up to 2 places)."""
    result = panel_of(review)
    if result is None or not result.complete:
        return ""
    mean = result.mean
    return mean.numerator if mean.denominator == 1 else round_half_up(mean)


def pilot_rows(pilots: QuerySet[Pilot]) -> Iterable[list[Any]]:
    """Yield one row per pilot: where it stands now and the experts' total of each signed review."""
    today = timezone.localdate()
    for pilot in pilots.prefetch_related("reviews__snapshot"):
        found = {review.kind: review for review in pilot.reviews.all()}
        totals = [_signed_total(found[kind]) if kind in found else "" for kind in ReviewKind]
        yield [*_pilot_columns(pilot), pilot.get_stage_display(),
               pilot.deadline.isoformat() if pilot.deadline else "",
               "是" if selectors.is_overdue(pilot, today) else "否",
               stars(pilot.granted_star) if pilot.granted_star else "", *totals]


def pilots_of(batch: Batch | None = None) -> QuerySet[Pilot]:
    """Return every pilot (of one batch), in the order of the exports."""
    pilots = Pilot.objects.select_related("application__batch", "application__city", "region")
    if batch is not None:
        pilots = pilots.filter(application__batch=batch)
    return pilots.order_by("application__batch__year", "pk")


def csv_text(pilots: QuerySet[Pilot]) -> str:
    """Return the moves of these pilots as CSV, with a BOM so that Excel shows the Chinese correctly."""
    out = io.StringIO()
    writer = SafeCSVWriter(out)
    writer.writerow(HISTORY_HEAD)
    writer.writerows(history_rows(selectors.history_rows(pilots)))
    return "\ufeff" + out.getvalue()


def _sheet(book: Workbook, title: str, head: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    set_column_widths(sheet, fitted_widths(head, rows))
    sheet.append(xlsx_row(sheet, head, font=BOLD))
    for row in rows:
        sheet.append(xlsx_row(sheet, row))


def write_xlsx(pilots: QuerySet[Pilot], out: IO[bytes] | str) -> None:
    """Write a workbook: 阶段记录 (one row per move) and 试点一览 (one row per pilot)."""
    book = Workbook(write_only=True)
    _sheet(book, "阶段记录", HISTORY_HEAD, list(history_rows(selectors.history_rows(pilots))))
    _sheet(book, "试点一览", PILOT_HEAD, list(pilot_rows(pilots)))
    book.save(out)


def history_response(request) -> HttpResponse:
    """The admin's download (the view has checked MANAGE_PILOTS): ?format=csv|xlsx, optionally ?batch=YEAR."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("导出格式只能是 csv 或 xlsx"))
    batch = None
    if year := request.GET.get("batch"):
        batch = Batch.objects.filter(year=int(year) if year.isdigit() else 0).first()
        if batch is None:
            raise Http404(_("没有该年度的试点批次"))
    pilots = pilots_of(batch)
    name = f"pilot-history-{batch.year}" if batch else "pilot-history"
    # The file is a record with fixed Chinese headers: its stage and move names stay Chinese too, in any session.
    with translation.override(settings.LANGUAGE_CODE):
        if fmt == "csv":
            response = HttpResponse(csv_text(pilots), content_type="text/csv; charset=utf-8")
        else:
            out = io.BytesIO()
            write_xlsx(pilots, out)
            response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
