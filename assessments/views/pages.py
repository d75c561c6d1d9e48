"""One assessment's screens: the page grouped by the six categories with the summary and the next-star plan,
the printable 自评表, the exports and the snapshot button."""

from __future__ import annotations

import io

from django import forms
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from communities import policy

from .. import charts, exports, selectors, services
from ..actions import AssessmentAction
from .base import AssessmentView

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SnapshotForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False,
                           help_text=gettext_lazy("例如：2026年度申报材料（上报前定稿）"))


class AssessmentPage(AssessmentView):
    template_name = "assessments/assessment.html"

    def categories(self) -> list[dict]:
        """Return the document's categories with each indicator's links."""
        return [{**category, "indicators": [
            {**ind, "url": self.link("indicator", ind["number"]),
             "communities_url": self.link("communities", ind["number"]) if ind["community"] else ""}
            for ind in category["indicators"]]} for category in self.doc["categories"]]

    def get_context_data(self, **kwargs):
        self.page_title = _("%(region)s · %(round)s 自评") % {"region": self.region.name,
                                                              "round": self.doc["round"]["name"]}
        context = super().get_context_data(**kwargs)
        chart = charts.category_bars(self.doc["categories"])
        context.update(
            doc=self.doc, categories=self.categories(), band=charts.band_line(self.doc), chart=chart,
            snapshots=selectors.snapshots_of(self.assessment), snapshot_form=SnapshotForm(),
            sheet_url=self.link("sheet"), departments_url=self.link("departments"),
            snapshot_url=self.link("snapshot_create", snapshot=None), live_url=self.link("page", snapshot=None),
            exports=[(label, self.link("export", format=fmt)) for label, fmt in
                     (("JSON", "json"), ("CSV", "csv"), ("XLSX", "xlsx"))],
            may_export=policy.may(self.request.user, AssessmentAction.EXPORT_ASSESSMENT, self.region),
        )
        return context


class SheetView(AssessmentView):
    """The printable 自评表: indicator, value, points, evidence list, total and band."""

    template_name = "assessments/sheet.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(doc=self.doc, printed_at=timezone.localtime())
        return context


class ExportView(AssessmentView):
    def get(self, request, *args, **kwargs):
        policy.require(request.user, AssessmentAction.EXPORT_ASSESSMENT, self.region)
        fmt = request.GET.get("format", "xlsx")
        name = f"assessment-{self.round.code}-{self.region.code}-" + (
            f"snapshot{self.snapshot.pk}" if self.snapshot else "live")
        if fmt == "json":
            frozen = self.snapshot.data if self.snapshot else None
            entry = frozen["contract"] if frozen else self.result.as_dict()
            standard = frozen["standard"] if frozen else {"code": self.standard.code, "version": self.standard.version}
            return JsonResponse(exports.contract(self.round, standard, [entry]),
                                json_dumps_params={"ensure_ascii": False})
        if fmt == "csv":
            response = HttpResponse("\ufeff" + exports.csv_text([self.doc]), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        if fmt != "xlsx":
            raise Http404
        out = io.BytesIO()
        exports.write_xlsx([self.doc], out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


class SnapshotCreateView(AssessmentView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = SnapshotForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("说明不能超过200字"))
            return redirect(self.link("page"))
        try:
            snapshot = services.snapshot_create(user=request.user, round_=self.round, region=self.region,
                                                note=form.cleaned_data["note"])
        except services.AssessmentError as exc:
            messages.error(request, str(exc))
            return redirect(self.link("page"))
        messages.success(request, _("已生成快照 #%(pk)s：此后该快照的数字不再变化") % {"pk": snapshot.pk})
        return redirect(self.link("page", snapshot=snapshot.pk))
