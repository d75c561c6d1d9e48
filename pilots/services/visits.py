"""现场复核: the visit (date, members, findings) and its photos, through the phones' photo pipeline (the image
intake's budget and decoding slots); the photos are decoded before the transaction opens, so a large one never
holds a lock."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from checklists.photos import PhotoError, ProcessedPhoto, processed
from communities import policy

from ..actions import PilotAction
from ..models import Pilot, SiteVisit, VisitPhoto
from ..stages import Stage
from . import PilotError
from .moves import REASON_MAX, today

RECORDED = "pilots.visit_recorded"
LOG_ACTIONS = {RECORDED: gettext_lazy("记录现场复核")}
VISIT_STAGES = (Stage.ONSITE, Stage.MIDTERM, Stage.FINAL, Stage.RECHECK)
MAX_PHOTOS = 20


def _checked(visited_on, members: str, findings: str, photos: Sequence) -> tuple[str, str]:
    errors = {}
    members, findings = (members or "").strip(), (findings or "").strip()
    if visited_on is None:
        errors["visited_on"] = _("请填写复核日期")
    elif visited_on > today():
        errors["visited_on"] = _("复核日期不能晚于今天")
    if not members:
        errors["members"] = _("请填写复核人员")
    elif len(members) > 300:
        errors["members"] = _("复核人员不能超过300字")
    if not findings:
        errors["findings"] = _("请填写复核意见")
    elif len(findings) > REASON_MAX * 2:
        errors["findings"] = _("复核意见不能超过%(max)s字") % {"max": REASON_MAX * 2}
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("一次最多上传%(n)s张照片") % {"n": MAX_PHOTOS}
    if errors:
        raise PilotError(errors)
    return members, findings


def _processed(photos: Sequence[tuple[str, bytes]]) -> list[tuple[str, ProcessedPhoto]]:
    done = []
    for name, data in photos:
        try:
            done.append((name, processed(data)))
        except PhotoError as exc:
            # The intake's busy message speaks of the phone resending; here the province submits the form again.
            message = _("服务器正忙，请稍后重新提交") if exc.code == "busy" else exc.message
            raise PilotError({"photos": f"{name}：{message}"}) from exc
    return done


def visit_record(*, user, pilot: Pilot, visited_on: datetime.date, members: str, findings: str,
                 photos: Sequence[tuple[str, bytes]] = ()) -> SiteVisit:
    """Record an on-site check of the pilot with its photos (all refused when one is; nothing is written)."""
    policy.require(user, PilotAction.MANAGE_PILOTS, pilot)
    members, findings = _checked(visited_on, members, findings, photos)
    return _write(user, pilot, visited_on, members, findings, _processed(photos))


@transaction.atomic
def _write(user, pilot: Pilot, visited_on, members: str, findings: str,
           photos: list[tuple[str, ProcessedPhoto]]) -> SiteVisit:
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    if pilot.stage not in VISIT_STAGES:
        raise PilotError(_("当前阶段为“%(stage)s”，不能记录现场复核") % {"stage": pilot.get_stage_display()})
    visit = SiteVisit.objects.create(pilot=pilot, visited_on=visited_on, members=members, findings=findings,
                                     recorded_by=user)
    for name, photo in photos:
        row = VisitPhoto(visit=visit, original_name=name[-255:], sha256=photo.sha256, taken_at=photo.taken_at)
        stem = uuid.uuid4().hex
        row.image.save(f"{stem}.jpg", ContentFile(photo.display), save=False)
        row.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(photo.thumbnail), save=False)
        row.save()
    log(pilot, RECORDED, user=user, data={"visit": visit.pk, "visited_on": visited_on.isoformat(),
                                          "members": members, "findings": findings, "photos": len(photos),
                                          "stage": pilot.stage})
    return visit
