"""One indicator of an assessment: its wording, tiers, inputs and note (entered through indicator_save), the
evidence files (uploaded through evidence_attach), who entered what and when, and for a community-derived
indicator the drill-down to the communities behind its value."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin import messages

from .. import community, selectors, services
from ..document import shown
from ..files import MAX_BYTES
from ..forms import FileForm, IndicatorForm, initial_of
from ..sources import RATIO, source_of
from .base import AssessmentView


def _state(state: dict | None, specs: dict[str, dict]) -> str:
    """Return a logged value (its inputs and note) in words: each input by its label, its value as people read it
    (是/否, a level's label, 90.00%); a key the indicator no longer has is shown as logged."""
    if not state:
        return _("（无）")
    values = "；".join(
        f"{specs[key]['label']} {shown(specs[key], value)}" if key in specs else f"{key} {value}"
        for key, value in (state.get("values") or {}).items()
    )
    return values + (_("；说明：%(note)s") % {"note": state["note"]} if state.get("note") else "")


def history_rows(entries, indicator: dict) -> list[dict]:
    """Return who did what to the indicator and when, with the values before and after."""
    specs = {spec["key"]: spec for spec in indicator["inputs"]}
    return [{"at": entry.timestamp, "user": entry.user_display_name, "label": entry.message,
             "change": f"{_state(entry.data.get('from'), specs)} → {_state(entry.data.get('to'), specs)}"
             if "to" in entry.data else entry.data.get("file", ""), "via": entry.data.get("via", "")}
            for entry in entries]


class IndicatorMixin(AssessmentView):
    def indicator(self, number: int) -> dict:
        found = selectors.indicator_def(self.standard, self.region.level, number)
        if found is None:
            raise Http404(_("没有该指标"))
        return found

    def indicator_doc(self, number: int) -> dict:
        return next(ind for c in self.doc["categories"] for ind in c["indicators"] if ind["number"] == number)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]


class IndicatorView(IndicatorMixin):
    template_name = "assessments/indicator.html"

    def form(self, number: int, data=None) -> IndicatorForm:
        indicator = self.indicator(number)
        doc = self.indicator_doc(number)
        return IndicatorForm(indicator, data, initial=initial_of(doc), override=doc["community"] != "")

    def get_context_data(self, number: int, form: IndicatorForm | None = None, **kwargs):
        doc = self.indicator_doc(number)
        self.page_title = _("第%(number)s项 %(name)s") % {"number": number, "name": doc["name"]}
        context = super().get_context_data(**kwargs)
        context.update(
            ind=doc, form=form or self.form(number), file_form=FileForm(),
            history=history_rows(selectors.history(self.assessment, number)[:50], self.indicator(number)),
            upload_url=self.link("upload", number), communities_url=self.link("communities", number),
            may_enter=self.may_edit and (not doc["community"] or self.may_override),
        )
        return context

    def post(self, request, *args, number: int, **kwargs):
        form = self.form(number, request.POST)
        if form.is_valid():
            try:
                services.indicator_save(user=request.user, round_=self.round, region=self.region, number=number,
                                        values=form.raw_values(), note=form.cleaned_data["note"])
            except services.AssessmentError as exc:
                for key, message in exc.errors.items():
                    form.add_error(key if key in form.fields else None, message)
            else:
                messages.success(request, _("已保存第%(number)s项") % {"number": number})
                return redirect(self.link("page") + f"#indicator-{number}")
        return self.render_to_response(self.get_context_data(number=number, form=form))


class UploadView(IndicatorMixin):
    http_method_names = ["post"]

    def post(self, request, *args, number: int, **kwargs):
        self.indicator(number)
        form = FileForm(request.POST, request.FILES)
        target = redirect(self.link("indicator", number))
        if not form.is_valid():
            messages.error(request, _("请选择要上传的文件"))
            return target
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # refused before reading it into memory
            messages.error(request, _("未上传：文件超过%(mb)s MB，请压缩或拆分后再上传") % {"mb": MAX_BYTES // 2**20})
            return target
        try:
            services.evidence_attach(user=request.user, round_=self.round, region=self.region, number=number,
                                     data=upload.read(), filename=upload.name)
        except services.AssessmentError as exc:
            messages.error(request, _("未上传：%(problem)s") % {"problem": exc})
        else:
            messages.success(request, _("已上传 %(name)s") % {"name": upload.name})
        return target


class CommunitiesView(IndicatorMixin):
    """The communities behind a computed value: which answered, what each adds."""

    template_name = "assessments/communities.html"

    def get_context_data(self, number: int, **kwargs):
        indicator = self.indicator(number)
        source = source_of(indicator)
        if source is None:
            raise Http404(_("该指标不由社区数据计算"))
        doc = self.indicator_doc(number)
        self.page_title = _("第%(number)s项 %(name)s · 社区明细") % {"number": number, "name": doc["name"]}
        context = super().get_context_data(**kwargs)
        context.update(ind=doc, rows=community.drill_down(self.round, self.region, source), ratio=source.kind == RATIO,
                       indicator_url=self.link("indicator", number))
        return context
