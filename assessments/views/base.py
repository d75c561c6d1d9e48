"""What every assessment screen resolves first: the round, the city or county (404 unless the user may see it),
the pinned scoring standard, the assessment row (None before the first write) and an optional snapshot."""

from __future__ import annotations

from functools import cached_property
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from communities import policy
from communities.main_urban_views import notices
from communities.policy import Action
from standards.models import Round

from .. import selectors
from ..actions import AssessmentAction
from ..document import document
from ..models import Assessment, Level
from ..regions import region_by


class ScopedView(WagtailAdminTemplateMixin, TemplateView):
    """An admin screen of the assessments app, with the app's breadcrumb."""

    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": reverse("assessments:index"), "label": _("城市与区县自评")}]


def unavailable(request, message: str, status: int = 200):
    """Render a plain explanation instead of a screen that cannot be shown (no scoring standard, not allowed)."""
    return render(request, "assessments/unavailable.html", {"message": message}, status=status)


def refused(request, action: Action, where=policy.ANYWHERE):
    """Return a 403 page with the policy's Chinese refusal, or None when the user may take `action`."""
    if policy.may(request.user, action, where):
        return None
    return unavailable(request, policy.refusal(action), status=403)


class AssessmentView(ScopedView):
    """Resolve round, region, standard, assessment and snapshot once for every screen of one assessment."""

    def dispatch(self, request, *args, round_code: str, level: str, code: str, **kwargs):
        self.round = Round.objects.select_related("standard").filter(code=round_code).first()
        self.region = region_by(level, code)
        if self.round is None or self.region is None or not policy.may(request.user, AssessmentAction.VIEW_ASSESSMENT,
                                                                          self.region):
            raise Http404(_("找不到该自评"))
        try:
            self.standard = selectors.scoring_standard(self.round)
        except selectors.NoScoringStandard as exc:
            return unavailable(request, str(exc))
        self.assessment = Assessment.objects.filter(round=self.round, region_id=self.region.pk).first()
        self.snapshot = None
        if request.GET.get("snapshot"):
            self.snapshot = selectors.snapshot_by_id(self.assessment, request.GET["snapshot"])
            if self.snapshot is None:
                raise Http404(_("找不到该快照"))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def result(self) -> selectors.AssessmentResult:
        return selectors.result_for(self.round, self.region)

    @cached_property
    def doc(self) -> dict:
        """Return the document shown: the snapshot's frozen one, or the live one."""
        if self.snapshot is not None:
            return self.snapshot.data["document"]
        return document(self.result, selectors.evidence_by_number(self.assessment))

    @property
    def may_edit(self) -> bool:
        return (self.snapshot is None and self.round.is_open
                and policy.may(self.request.user, AssessmentAction.EDIT_ASSESSMENT, self.region))

    @property
    def may_override(self) -> bool:
        return self.may_edit and policy.may(self.request.user, AssessmentAction.OVERRIDE_INDICATOR, self.region)

    def link(self, name: str, *args, **params) -> str:
        """Return the URL of one of this assessment's screens (keeping the snapshot unless told otherwise)."""
        url = reverse(f"assessments:{name}", args=[self.round.code, self.region.level, self.region.code, *args])
        if self.snapshot is not None and "snapshot" not in params:
            params["snapshot"] = self.snapshot.pk
        params = {k: v for k, v in params.items() if v is not None}
        return url + ("?" + urlencode(params) if params else "")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": self.link("page"), "label": self.region.name}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(round=self.round, region=self.region, assessment=self.assessment, snapshot=self.snapshot,
                       may_edit=self.may_edit, page_url=self.link("page"), main_urban_notices=self.notices())
        return context

    def notices(self) -> list:
        """Return "主城区未确认" for a city's live figures (a snapshot's are frozen, a county's are its own)."""
        if self.snapshot is not None or self.region.level != Level.CITY:
            return []
        return notices(self.request, [self.region.code])
