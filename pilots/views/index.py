"""The entry point: the pilots the user may see (filtered by batch and stage), counts by stage, overdue ones, the
province's formal-review queue, the deadline reminders, the applications and the batches open to apply."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from communities import policy
from communities.models import CityPage
from communities.policy import EVERYWHERE

from .. import exports, reminders, selectors
from ..actions import PilotAction
from ..models import Batch
from ..panels import due_rows
from ..services import PilotError, applications
from ..stages import OWNERS, Stage, stars
from .base import PilotsView, application_url, back, pilot_url, refused


def pilot_row(pilot, today) -> dict:
    """One row of a pilot listing, with its days overdue (0 when not)."""
    late = (today - pilot.deadline).days if selectors.is_overdue(pilot, today) else 0
    return {"pilot": pilot, "url": pilot_url(pilot), "overdue": late, "target": stars(pilot.target_star),
            "owner": OWNERS[Stage(pilot.stage)].label, "granted": stars(pilot.granted_star)
            if pilot.granted_star else ""}


def applying(user, today) -> list[dict]:
    """The open batches × the cities the user applies for: the application, or a button to start it."""
    cities = list(policy.in_scope(user, PilotAction.EDIT_APPLICATION, CityPage.objects.order_by("code")))
    if not cities:
        return []
    started = {(a.batch_id, a.city_id): a for a in selectors.visible_applications(user)}
    rows = []
    for batch in Batch.objects.filter(published_at__isnull=True, apply_by__gte=today):
        for city in cities:
            application = started.get((batch.pk, city.pk))
            rows.append({"batch": batch, "city": city, "url": application_url(application) if application else "",
                         "start_url": reverse("pilots:application_start", args=[batch.pk, city.pk])})
    return rows


class IndexView(PilotsView):
    template_name = "pilots/index.html"
    page_title = gettext_lazy("省级试点")

    def trail(self) -> list[dict]:
        return []

    def get_breadcrumbs_items(self):
        return [*WagtailAdminTemplateMixin.get_breadcrumbs_items(self), {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        if denied := refused(request, PilotAction.VIEW_PILOTS):
            return denied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        batch = Batch.objects.filter(pk=self.request.GET.get("batch") or None).first() \
            if (self.request.GET.get("batch") or "").isdigit() else None
        stage = self.request.GET.get("stage") if self.request.GET.get("stage") in Stage.values else ""
        visible = selectors.visible_pilots(user)
        manages = policy.may(user, PilotAction.MANAGE_PILOTS, EVERYWHERE)
        context = super().get_context_data(**kwargs)
        context.update(
            rows=[pilot_row(p, today) for p in selectors.visible_pilots(user, batch=batch, stage=stage)],
            counts=[(s, s.label, n) for s, n in selectors.stage_counts(visible)],
            queue=[pilot_row(p, today) for p in visible.filter(stage=Stage.SUBMITTED)] if manages else None,
            due=due_rows(reminders.due(visible, today)), batches=Batch.objects.all(), batch=batch, stage=stage,
            stages=Stage.choices, manages=manages, applying=applying(user, today),
            applications=[{"application": a, "url": application_url(a)}
                          for a in selectors.visible_applications(user)],
        )
        return context


@require_POST
def application_start(request, batch_pk: int, city_pk: int):
    """Start (or open) the city's application to the batch."""
    batch = get_object_or_404(Batch, pk=batch_pk)
    city = get_object_or_404(CityPage, pk=city_pk)
    if denied := refused(request, PilotAction.EDIT_APPLICATION, city):
        return denied
    try:
        application = applications.application_start(user=request.user, batch=batch, city=city)
    except PilotError as exc:
        return back(request, reverse("pilots:index"), exc)
    done = _("已开始%(city)s的%(batch)s申报") % {"city": city.title, "batch": batch.name}
    return back(request, application_url(application), success=done)


@require_GET
def export(request):
    """Every pilot's stage history as a spreadsheet (province only)."""
    policy.require(request.user, PilotAction.MANAGE_PILOTS, EVERYWHERE)
    return exports.history_response(request)
