"""A city bureau's application: start it, add the city and its counties as pilots (each with its
self-assessment frozen as a snapshot), attach materials, write the report, submit it in the city's name."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from assessments import files
from assessments import services as assessment_services
from assessments.models import Level
from assessments.regions import Region
from communities import policy
from communities.models import CityPage
from standards.models import Round

from ..actions import PilotAction
from ..models import Application, ApplicationFile, Batch, Pilot
from ..stages import TARGET_STARS, Stage, star_needed_to_apply, stars
from . import PilotError
from .moves import pilot_move, today

STARTED, PILOT_ADDED, PILOT_REFRESHED = "pilots.application_started", "pilots.pilot_added", "pilots.pilot_refreshed"
PILOT_REMOVED, REPORT_SAVED = "pilots.pilot_removed", "pilots.report_saved"
MATERIAL_ADDED, MATERIAL_REMOVED, SUBMITTED = "pilots.material_added", "pilots.material_removed", "pilots.submitted"
LOG_ACTIONS = {
    STARTED: gettext_lazy("开始试点申报"), PILOT_ADDED: gettext_lazy("加入申报试点"),
    PILOT_REFRESHED: gettext_lazy("更新申报自评快照"), PILOT_REMOVED: gettext_lazy("移出申报试点"),
    REPORT_SAVED: gettext_lazy("保存申请报告"), MATERIAL_ADDED: gettext_lazy("上传申报材料"),
    MATERIAL_REMOVED: gettext_lazy("移除申报材料"), SUBMITTED: gettext_lazy("提交试点申报"),
}
REPORT_MAX = 20000


def _editable(application: Application) -> None:
    pilots = application.pilots
    if pilots.exists() and not pilots.filter(stage=Stage.DRAFT).exists():
        raise PilotError(_("申报已提交，不能再修改；形式审查退回后方可修改"))


def _draft(pilot: Pilot) -> None:
    if pilot.stage != Stage.DRAFT:
        raise PilotError(_("%(region)s的申报已提交，不能再修改；形式审查退回后方可修改") % {
            "region": pilot.region.title})


@transaction.atomic
def application_start(*, user, batch: Batch, city: CityPage) -> Application:
    """Return the city's application to the batch, starting it the first time."""
    policy.require(user, PilotAction.EDIT_APPLICATION, city)
    application, created = Application.objects.get_or_create(batch=batch, city=city, defaults={"created_by": user})
    if created:
        if today() > batch.apply_by:
            raise PilotError(_("%(batch)s申报已于 %(day)s 截止") % {"batch": batch.name, "day": batch.apply_by})
        log(application, STARTED, user=user, data={"batch": batch.year, "city": city.code})
    return application


def _belongs(application: Application, region: Region) -> None:
    city = application.city
    if region.level == Level.CITY and region.pk != city.pk or region.level == Level.COUNTY and \
            region.city_code != city.code:
        raise PilotError({"region": _("%(region)s不属于%(city)s，不能列入本市的申报") % {"region": region.name,
                                                                                 "city": city.title}})


def _snapshot(user, application: Application, region: Region, round_: Round):
    note = f"{application.batch.name}试点申报"
    snapshot = assessment_services.snapshot_create(user=user, round_=round_, region=region, note=note)
    star = snapshot.data["contract"]["star"]
    return snapshot, star


@transaction.atomic
def pilot_add(*, user, application: Application, region: Region, target_star: int, round_: Round) -> Pilot:
    """Add the city or one of its counties to the application, freezing its self-assessment of `round_`."""
    policy.require(user, PilotAction.EDIT_APPLICATION, application)
    _editable(application)
    _belongs(application, region)
    if target_star not in TARGET_STARS:
        raise PilotError({"target_star": _("试点星级只能为四星或五星")})
    if application.pilots.filter(region_id=region.pk).exists():
        raise PilotError({"region": _("%(region)s已在本次申报中") % {"region": region.name}})
    snapshot, star = _snapshot(user, application, region, round_)
    needed = star_needed_to_apply(target_star)
    if (star or 0) < needed:
        message = _("%(region)s自评为%(star)s（%(points)s分），申报%(target)s试点需达到%(needed)s")
        raise PilotError({"target_star": message % {
            "region": region.name, "star": stars(star), "points": snapshot.data["contract"]["total"],
            "target": stars(target_star), "needed": stars(needed)}})
    pilot = Pilot.objects.create(application=application, region_id=region.pk, level=region.level,
                                 target_star=target_star, round=round_, snapshot=snapshot,
                                 deadline=application.batch.apply_by)
    log(application, PILOT_ADDED, user=user, data={"pilot": pilot.pk, "region": region.code, "name": region.name,
                                                   "target_star": target_star, "snapshot": snapshot.pk,
                                                   "total": snapshot.data["contract"]["total"], "star": star})
    return pilot


@transaction.atomic
def pilot_refresh(*, user, pilot: Pilot, region: Region) -> Pilot:
    """Freeze the pilot's self-assessment again (before submission, or after a return)."""
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    policy.require(user, PilotAction.EDIT_APPLICATION, pilot.application)
    _draft(pilot)
    snapshot, star = _snapshot(user, pilot.application, region, pilot.round)
    before = pilot.snapshot_id
    pilot.snapshot, pilot.revision = snapshot, pilot.revision + 1
    pilot.save(update_fields=["snapshot", "revision"])
    log(pilot.application, PILOT_REFRESHED, user=user, data={"pilot": pilot.pk, "from": before, "to": snapshot.pk,
                                                             "total": snapshot.data["contract"]["total"],
                                                             "star": star})
    return pilot


@transaction.atomic
def pilot_remove(*, user, pilot: Pilot) -> None:
    """Take a pilot out of an application that has not been submitted."""
    pilot = Pilot.objects.select_for_update(of=("self",)).select_related("application", "region").get(pk=pilot.pk)
    policy.require(user, PilotAction.EDIT_APPLICATION, pilot.application)
    _draft(pilot)
    if pilot.history.exists():
        raise PilotError(_("该试点已有审查记录，不能移出"))
    log(pilot.application, PILOT_REMOVED, user=user, data={"pilot": pilot.pk, "region": pilot.region.title,
                                                           "target_star": pilot.target_star})
    pilot.delete()


@transaction.atomic
def report_save(*, user, application: Application, report: str) -> Application:
    """Save the application report (申请报告) text."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    policy.require(user, PilotAction.EDIT_APPLICATION, application)
    _editable(application)
    report = (report or "").strip()
    if len(report) > REPORT_MAX:
        raise PilotError({"report": _("申请报告不能超过%(max)s字") % {"max": REPORT_MAX}})
    if report != application.report:
        before = application.report
        application.report = report
        application.save(update_fields=["report"])
        log(application, REPORT_SAVED, user=user, data={"from_length": len(before), "to_length": len(report)})
    return application


def material_attach(*, user, application: Application, data: bytes, filename: str) -> ApplicationFile:
    """Check a file by its content (a picture decoded before any transaction opens) and attach it to the
    application, privately."""
    policy.require(user, PilotAction.EDIT_APPLICATION, application)
    _editable(application)
    try:
        checked = files.check(data)
    except files.EvidenceFileError as exc:
        raise PilotError({"file": str(exc)}) from exc
    return _attach(user, application, data, filename, checked)


@transaction.atomic
def _attach(user, application: Application, data: bytes, filename: str, checked: files.CheckedFile) -> ApplicationFile:
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    policy.require(user, PilotAction.EDIT_APPLICATION, application)
    _editable(application)
    name = files.display_name(filename, checked, "申报材料")
    material = ApplicationFile(application=application, original_name=name, kind=checked.kind, size=checked.size,
                               sha256=checked.sha256, uploaded_by=user)
    material.file.save(f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(data), save=False)
    material.save()
    log(application, MATERIAL_ADDED, user=user, data={"file": name, "kind": checked.kind, "size": checked.size,
                                                      "sha256": checked.sha256, "material": material.pk})
    return material


@transaction.atomic
def material_remove(*, user, material: ApplicationFile) -> None:
    """Take a material off the application; the record and bytes stay for the audit trail."""
    material = ApplicationFile.objects.select_for_update(of=("self",)).select_related("application").get(pk=material.pk)
    policy.require(user, PilotAction.EDIT_APPLICATION, material.application)
    _editable(material.application)
    if material.removed_at is None:
        material.removed_at = timezone.now()
        material.save(update_fields=["removed_at"])
        log(material.application, MATERIAL_REMOVED, user=user, data={"file": material.original_name,
                                                                     "sha256": material.sha256,
                                                                     "material": material.pk})


@transaction.atomic
def application_submit(*, user, application: Application) -> Application:
    """Submit the application in the city's name: every pilot moves to 形式审查, its numbers frozen."""
    application = (Application.objects.select_for_update(of=("self",)).select_related("batch", "city")
                   .get(pk=application.pk))
    policy.require(user, PilotAction.EDIT_APPLICATION, application)
    if not application.pilots.exists():
        raise PilotError(_("请先加入至少一个试点（本市或所属县市区）"))
    pilots = list(application.pilots.filter(stage=Stage.DRAFT).select_related("region").order_by("pk"))
    if not pilots:
        raise PilotError(_("申报已提交"))
    if not application.report:
        raise PilotError({"report": _("请先填写申请报告")})
    if not application.materials.filter(removed_at__isnull=True).exists():
        # 工作方案: 提交申请报告，并附相关证明材料.
        raise PilotError({"file": _("请至少上传一份证明材料")})
    for pilot in pilots:
        pilot_move(user=user, pilot=pilot, move="submit")
    application.submitted_at, application.submitted_by = timezone.now(), user
    application.save(update_fields=["submitted_at", "submitted_by"])
    log(application, SUBMITTED, user=user, data={"pilots": [p.pk for p in pilots], "batch": application.batch.year,
                                                 "materials": application.materials.filter(
                                                     removed_at__isnull=True).count()})
    return application
