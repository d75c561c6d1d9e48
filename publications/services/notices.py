"""The province's 通报 of a withdrawn subsidy (工作方案: 整改后仍未达到建设要求的，收回奖补资金并予以通报): written for
the public in the province's own words, published once, shown on the batch's page from then on."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.actors import log, log_user
from communities import policy
from pilots.models import Pilot
from pilots.stages import Stage, stars

from ..actions import PublicationAction
from ..models import RevocationNotice
from . import PublicationError

PUBLISHED = "publications.notice_published"
TEXT_MAX = 4000


def suggested(pilot: Pilot) -> tuple[str, str]:
    """Return a title and text the province may start its 通报 from (region, batch and star only), in the
    source language: the public words of a notice are Chinese whatever the language of the screen."""
    with translation.override(settings.LANGUAGE_CODE):
        return _suggested(pilot)


def _suggested(pilot: Pilot) -> tuple[str, str]:
    batch = pilot.application.batch
    title = _("关于收回%(region)s%(star)s试点奖补资金的通报") % {"region": pilot.region.title,
                                                          "star": stars(pilot.target_star)}
    text = _("%(region)s列入%(batch)s省级新型智慧城市试点名单，试点建设%(star)s级智慧城市。经终期验收和限期整改，"
             "仍未达到建设要求。根据《山东省新型智慧城市试点示范建设工作方案》，收回奖补资金，予以通报。") % {
        "region": pilot.region.title, "batch": batch.name, "star": stars(pilot.target_star)}
    return title, text


def _checked(pilot: Pilot, title: str, text: str) -> tuple[str, str]:
    title, text = (title or "").strip(), (text or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写通报标题")
    elif len(title) > 200:
        errors["title"] = _("通报标题不能超过200字")
    if not text:
        errors["text"] = _("请填写通报内容")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("通报内容不能超过%(n)d字") % {"n": TEXT_MAX}
    if errors:
        raise PublicationError(errors)
    if pilot.stage != Stage.REVOKED or pilot.started_on is None:
        raise PublicationError(_("%(pilot)s现为“%(stage)s”，不是收回奖补的试点，不能发布通报")
                               % {"pilot": pilot, "stage": pilot.get_stage_display()})
    if RevocationNotice.objects.filter(pilot=pilot).exists():
        raise PublicationError(_("%(pilot)s的通报已经发布，不能重复发布") % {"pilot": pilot})
    return title, text


@transaction.atomic
def notice_publish(*, user, pilot: Pilot, title: str, text: str) -> RevocationNotice:
    """Publish the 通报 of a pilot whose subsidy was withdrawn; refuse a second one or any other pilot."""
    policy.require(user, PublicationAction.PUBLISH_NOTICE, pilot)
    pilot = (Pilot.objects.select_for_update(of=("self",)).select_related("application__batch", "region")
             .get(pk=pilot.pk))
    title, text = _checked(pilot, title, text)
    notice = RevocationNotice.objects.create(pilot=pilot, title=title, text=text, published_at=timezone.now(),
                                             published_by=log_user(user))
    log(notice, PUBLISHED, actor=user, data={"pilot": pilot.pk, "batch": pilot.application.batch.year,
                                              "region": pilot.region.title, "title": title, "text": text})
    return notice
