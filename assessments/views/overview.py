"""The bureaus' entry point (the cities and counties they may see, with their figures) and the province
overview for province-level bureaus: sortable, exportable."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from communities import policy
from communities.main_urban_views import notices
from communities.policy import EVERYWHERE
from coverage.selectors import round_by_code, rounds_all

from .. import exports, overview, selectors
from ..actions import AssessmentAction
from ..regions import regions, regions_in_scope
from .base import ScopedView, refused, unavailable
from .pages import XLSX


class RoundMixin:
    def resolve_round(self, request):
        code = request.GET.get("round")
        self.round = round_by_code(code) or (None if code else rounds_all().first())
        if self.round is None:
            raise Http404(_("找不到该轮次"))

    def link_for(self, row: dict) -> str:
        region = row["region"]
        return reverse("assessments:page", args=[self.round.code, region["level"], region["code"]])


class IndexView(RoundMixin, ScopedView):
    template_name = "assessments/index.html"
    page_title = gettext_lazy("城市与区县自评")

    def get_breadcrumbs_items(self):
        return [*WagtailAdminTemplateMixin.get_breadcrumbs_items(self), {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        if denied := refused(request, AssessmentAction.VIEW_ASSESSMENT):
            return denied
        self.resolve_round(request)
        try:
            rows = overview.summaries(self.round, regions_in_scope(request.user))
        except selectors.NoScoringStandard as exc:
            return unavailable(request, str(exc))
        context = self.get_context_data(**kwargs)
        cities = [r["region"]["code"] for r in rows if r["region"]["level"] == "city"]
        context.update(round=self.round, rounds=rounds_all(), rows=[{**r, "url": self.link_for(r)} for r in rows],
                       main_urban_notices=notices(request, cities) if cities else [],
                       overview_url=reverse("assessments:overview") + "?" + urlencode({"round": self.round.code}),
                       may_overview=policy.may(request.user, AssessmentAction.ASSESSMENT_OVERVIEW, EVERYWHERE))
        return self.render_to_response(context)


class OverviewView(RoundMixin, ScopedView):
    template_name = "assessments/overview.html"
    page_title = gettext_lazy("全省自评总览")

    def get(self, request, *args, **kwargs):
        if denied := refused(request, AssessmentAction.ASSESSMENT_OVERVIEW, EVERYWHERE):
            return denied
        self.resolve_round(request)
        try:
            rows = overview.summaries(self.round, regions())
        except selectors.NoScoringStandard as exc:
            return unavailable(request, str(exc))
        key, descending = request.GET.get("sort", "total"), request.GET.get("order", "desc") != "asc"
        rows = overview.sorted_rows(rows, key, descending)
        if request.GET.get("format"):
            return self.export(request.GET["format"], rows)
        context = self.get_context_data(**kwargs)
        context.update(round=self.round, rounds=rounds_all(), rows=[{**r, "url": self.link_for(r)} for r in rows],
                       columns=self.columns(rows, key, descending), categories=rows[0]["categories"] if rows else [],
                       exports=[(label, self.query(sort=key, order="desc" if descending else "asc", format=fmt))
                                for label, fmt in (("CSV", "csv"), ("XLSX", "xlsx"))])
        return self.render_to_response(context)

    def query(self, **params) -> str:
        return reverse("assessments:overview") + "?" + urlencode({"round": self.round.code, **params})

    def columns(self, rows: list[dict], key: str, descending: bool) -> list[dict]:
        """Return each sortable column's header: a link that sorts by it (again: the other way)."""
        arrow = "↓" if descending else "↑"
        return [{"key": k, "label": label, "active": k == key, "arrow": arrow if k == key else "",
                 "url": self.query(sort=k, order="asc" if k == key and descending else "desc")}
                for k, label in overview.sort_keys(rows).items()]

    def export(self, fmt: str, rows: list[dict]) -> HttpResponse:
        name = f"assessment-overview-{self.round.code}"
        if fmt == "csv":
            response = HttpResponse("\ufeff" + exports.summary_csv(rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        if fmt != "xlsx":
            raise Http404
        out = io.BytesIO()
        exports.write_xlsx(rows, out, indicators=False)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
