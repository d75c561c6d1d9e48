"""What each kind of background job checks before it is queued and does when it runs.

Each `run` returns (file name, bytes) for the user to download; the work itself is other modules' services:
coverage exports (coverage.rollup, coverage.exports), QR sheets (checklists.qr) and photo renditions
(checklists.renditions).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from checklists import qr
from checklists.actions import ChecklistAction
from checklists.models import Evidence
from checklists.renditions import RenditionError, renditions_rebuild
from communities import policy
from communities.counting import live_q  # retired communities leave the QR sheet batches
from communities.models import CommunityPage, StreetPage, UnitPage
from coverage.actions import CoverageAction
from coverage.exports import SHEETS, csv_text, write_xlsx
from coverage.rollup import report_for
from coverage.selectors import coverage_scope, round_by_code
from smartsite.spreadsheet import SafeCSVWriter
from standards.rounds import open_round
from standards.versions import latest

from .models import Job, JobKind
from .services import JobError, Progress

SHEETS_PER_FILE = 30  # one printable HTML file per 30 communities, like the paginated sheet pages


@dataclass(frozen=True)
class Kind:
    check: Callable[[object, dict], None]
    run: Callable[[Job, Progress], tuple[str, bytes]]


def _owner(job: Job):
    if job.created_by is None:
        raise JobError(_("提交人的账号已不存在"))
    return job.created_by


def _round(params: dict):
    round_ = round_by_code(params.get("round"))
    if round_ is None:
        raise JobError(_("轮次 %(round)s 不存在") % {"round": params.get("round") or ""})
    return round_


# --- coverage exports ---------------------------------------------------------------------------------------

def _check_export(user, params: dict) -> None:
    policy.require(user, CoverageAction.EXPORT_COVERAGE)
    if params.get("format", "xlsx") not in ("xlsx", "csv"):
        raise JobError(_("导出格式只能是 xlsx 或 csv"))
    if params.get("format") == "csv" and params.get("sheet", "communities") not in SHEETS:
        raise JobError(_("未知的表"))
    _round(params)


def _run_export(job: Job, progress: Progress) -> tuple[str, bytes]:
    round_ = _round(job.params)
    scope = coverage_scope(_owner(job), CoverageAction.EXPORT_COVERAGE)
    if scope is None:
        raise JobError(_("提交人已没有查看覆盖率的权限"))
    progress(10, gettext_noop("正在汇总覆盖率"))  # stored as the msgid, shown translated
    report = report_for(round_, scope)
    progress(50, f"正在写入 {len(report.data['communities'])} 个社区")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if job.params.get("format", "xlsx") == "csv":
        sheet = job.params.get("sheet", "communities")
        return f"覆盖率-{round_.code}-{sheet}-{stamp}.csv", ("\ufeff" + csv_text(report, sheet)).encode("utf-8")
    out = io.BytesIO()
    write_xlsx(report, out)
    return f"覆盖率-{round_.code}-{stamp}.xlsx", out.getvalue()


# --- QR sheet batches ---------------------------------------------------------------------------------------

def _qr_region(user, params: dict):
    if params.get("street"):
        streets = StreetPage.objects.filter(code=params["street"])
        region = policy.in_scope(user, ChecklistAction.PRINT_QR, streets).first()
        communities = CommunityPage.objects.filter(live_q(), street=region)
    elif params.get("unit"):
        region = policy.in_scope(user, ChecklistAction.PRINT_QR, UnitPage.objects.filter(code=params["unit"])).first()
        communities = CommunityPage.objects.filter(live_q(), unit=region)
    else:
        raise JobError(_("请指定街道/乡镇代码或区县代码"))
    if region is None:
        raise JobError(_("没有这个街道/区县，或您无权为其生成二维码"))
    return region, communities.order_by("code")


def _check_qr(user, params: dict) -> None:
    _qr_region(user, params)


def _run_qr(job: Job, progress: Progress) -> tuple[str, bytes]:
    region, communities = _qr_region(_owner(job), job.params)
    round_ = open_round()
    standard = round_.standard if round_ else latest()
    communities = list(communities)
    if not communities:
        raise JobError(_("%(region)s 下没有社区") % {"region": region.title})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for start in range(0, len(communities), SHEETS_PER_FILE):
            batch = communities[start:start + SHEETS_PER_FILE]
            sheets = [qr.community_sheet(c, standard) for c in batch]
            html = render_to_string("checklists/mobile/qr_sheets.html",
                                    {"sheets": sheets, "title": f"{region.title} {batch[0].code}–{batch[-1].code}"})
            archive.writestr(f"{region.code}-{start // SHEETS_PER_FILE + 1:02d}.html", html)
            done = start + len(batch)
            progress(done * 100 // len(communities), f"已生成 {done}/{len(communities)} 个社区")
    return f"二维码-{region.title}-{region.code}.zip", out.getvalue()


# --- photo renditions ---------------------------------------------------------------------------------------

def _evidence_of(params: dict):
    photos = Evidence.objects.filter(removed_at__isnull=True).order_by("pk")
    if params.get("evidence"):
        return photos.filter(pk__in=params["evidence"])
    photos = photos.filter(result__round=_round(params))
    if params.get("community"):
        photos = photos.filter(result__community__code=params["community"])
    if params.get("unit"):
        photos = photos.filter(result__community__unit__code=params["unit"])
    return photos


def _check_renditions(user, params: dict) -> None:
    policy.require(user, ChecklistAction.REBUILD_PHOTOS)
    if not params.get("evidence"):
        _round(params)


def _run_renditions(job: Job, progress: Progress) -> tuple[str, bytes]:
    ids = list(_evidence_of(job.params).values_list("pk", flat=True))
    report = io.StringIO()
    writer = SafeCSVWriter(report)
    writer.writerow(["照片编号", "结果", "说明"])
    problems = 0
    for n, evidence in enumerate(Evidence.objects.filter(pk__in=ids).iterator(chunk_size=200), start=1):
        try:
            renditions_rebuild(evidence)
            writer.writerow([evidence.pk, "已重建", ""])
        except RenditionError as exc:
            problems += 1
            writer.writerow([evidence.pk, "失败", exc.message])
        if n % 20 == 0 or n == len(ids):
            progress(n * 100 // max(1, len(ids)), f"已处理 {n}/{len(ids)} 张，{problems} 张有问题")
    return f"照片重建报告-{timezone.localtime():%Y%m%d-%H%M}.csv", ("\ufeff" + report.getvalue()).encode("utf-8")


KINDS: dict[str, Kind] = {
    JobKind.COVERAGE_EXPORT: Kind(_check_export, _run_export),
    JobKind.QR_SHEETS: Kind(_check_qr, _run_qr),
    JobKind.PHOTO_RENDITIONS: Kind(_check_renditions, _run_renditions),
}
