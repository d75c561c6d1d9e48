"""The province's batches: create and edit one year's call (its deadlines), and publish its list: the listed
pilots start, the list is frozen as published and its public page goes live."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.log_actions import log
from wagtail.models import Page

from communities import policy
from communities.policy import EVERYWHERE

from ..actions import PilotAction
from ..models import Batch, Pilot, PilotListPage
from ..stages import Stage, stars
from . import PilotError
from .moves import years_after

CREATED, CHANGED, PUBLISHED = "pilots.batch_created", "pilots.batch_changed", "pilots.list_published"
LOG_ACTIONS = {CREATED: gettext_lazy("新建试点批次"), CHANGED: gettext_lazy("修改试点批次"),
               PUBLISHED: gettext_lazy("公布省级试点名单")}
UNDECIDED = (Stage.SUBMITTED, Stage.EXPERT, Stage.ONSITE)


def _described(batch: Batch) -> dict:
    return {"year": batch.year, "name": batch.name, "apply_by": batch.apply_by.isoformat(),
            "list_by": batch.list_by.isoformat()}


def _check(year: int, name: str, apply_by, list_by, batch: Batch | None = None) -> str:
    errors = {}
    name = (name or "").strip()
    if not 2019 <= (year or 0) <= 2100:
        errors["year"] = _("年度应在 2019–2100 之间")
    elif Batch.objects.filter(year=year).exclude(pk=batch.pk if batch else None).exists():
        errors["year"] = _("%(year)s年度的批次已经存在") % {"year": year}
    if not name:
        errors["name"] = _("请填写名称")
    if apply_by is None or list_by is None:
        errors["list_by"] = _("请填写申报截止日期和名单公布截止日期")
    elif list_by < apply_by:
        errors["list_by"] = _("名单公布截止日期不能早于申报截止日期")
    if errors:
        raise PilotError(errors)
    return name[:100]


@transaction.atomic
def batch_create(*, user, year: int, name: str, apply_by: datetime.date, list_by: datetime.date) -> Batch:
    policy.require(user, PilotAction.MANAGE_PILOTS, EVERYWHERE)
    name = _check(year, name, apply_by, list_by)
    batch = Batch.objects.create(year=year, name=name, apply_by=apply_by, list_by=list_by)
    log(batch, CREATED, user=user, data=_described(batch))
    return batch


@transaction.atomic
def batch_update(*, user, batch: Batch, year: int, name: str, apply_by: datetime.date,
                 list_by: datetime.date) -> Batch:
    """Change a batch's name or deadlines (open pilots' deadlines follow); its year is fixed once it has any."""
    policy.require(user, PilotAction.MANAGE_PILOTS, EVERYWHERE)
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    name = _check(year, name, apply_by, list_by, batch)
    if year != batch.year and batch.applications.exists():
        raise PilotError({"year": _("已有申报的批次不能修改年度")})
    before = _described(batch)
    batch.year, batch.name, batch.apply_by, batch.list_by = year, name, apply_by, list_by
    batch.save()
    pilots = Pilot.objects.filter(application__batch=batch)
    pilots.filter(stage=Stage.DRAFT).update(deadline=apply_by)
    pilots.filter(stage__in=UNDECIDED).update(deadline=list_by)
    if batch.published_at is None:
        pilots.filter(stage=Stage.LISTED).update(deadline=list_by)
    log(batch, CHANGED, user=user, data={"from": before, "to": _described(batch)})
    return batch


def _entries(pilots: list[Pilot]) -> list[dict]:
    # The frozen list keeps the source language's words, whatever the language of whoever publishes it.
    with translation.override(settings.LANGUAGE_CODE):
        return _entry_list(pilots)


def _entry_list(pilots: list[Pilot]) -> list[dict]:
    return [{"city": p.application.city.title, "region": p.region.title, "level": p.level,
             "level_label": p.get_level_display(), "target_star": p.target_star, "target": stars(p.target_star)}
            for p in pilots]


def _page(batch: Batch, entries: list[dict]) -> PilotListPage:
    page = PilotListPage.objects.filter(batch=batch).first()
    title = f"{batch.name}省级新型智慧城市试点名单"
    if page is None:
        page = PilotListPage(title=title, slug=f"pilots-{batch.year}", batch=batch,
                             intro=f"共 {len(entries)} 个试点，于 {timezone.localdate()} 公布。")
        Page.get_first_root_node().add_child(instance=page)
    page.title = title
    page.save_revision().publish()
    return page


@transaction.atomic
def batch_publish(*, user, batch: Batch) -> Batch:
    """Publish the batch's list: every pilot confirmed on site starts today; the list is frozen as published."""
    policy.require(user, PilotAction.MANAGE_PILOTS, EVERYWHERE)
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.published_at is not None:
        raise PilotError(_("%(batch)s的名单已于 %(day)s 公布") % {
            "batch": batch.name, "day": f"{timezone.localtime(batch.published_at):%Y-%m-%d}"})
    pilots = Pilot.objects.filter(application__batch=batch)
    undecided = pilots.filter(stage__in=UNDECIDED).count()
    if undecided:
        raise PilotError(ngettext("还有 %(n)s 个试点尚未确定是否列入名单", "还有 %(n)s 个试点尚未确定是否列入名单",
                                  undecided) % {"n": undecided})
    listed = list(pilots.filter(stage=Stage.LISTED).select_related("application__city", "region")
                  .order_by("level", "application__city__code", "region__path"))
    if not listed:
        raise PilotError(_("没有列入名单的试点"))
    start = timezone.localdate()
    Pilot.objects.filter(pk__in=[p.pk for p in listed]).update(started_on=start, deadline=years_after(start, 1))
    batch.published_at, batch.published_list = timezone.now(), _entries(listed)
    batch.save(update_fields=["published_at", "published_list"])
    _page(batch, batch.published_list)
    log(batch, PUBLISHED, user=user, data={"pilots": [p.pk for p in listed], "count": len(listed),
                                           "started_on": start.isoformat()})
    return batch
