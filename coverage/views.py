"""The bureau's coverage dashboard in the Wagtail admin: bars with tier lines, drill-down to the item heat map,
application sheets, exports and snapshots.

Every view works on a Report (checklists.coverage): live figures, or a frozen snapshot chosen with
?snapshot=ID, cut down to what the user may see (bureau: their city or province; verifiers: their units,
read-only; administrators: everything).
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from checklists.models import Status
from checklists.services import readable_evaluation
from communities import policy
from communities.counting import KIND_BY_NAME
from communities.main_urban_views import notices
from communities.models import COUNTY_KINDS, CommunityKind, UnitKind

from . import rollup as engine
from . import selectors as q
from .actions import CoverageAction
from .charts import bar, tier_label
from .drilldown import heatmap, placed, review_url, street_facts
from .exports import SHEETS, csv_text, write_xlsx


class SnapshotForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("说明"), max_length=200, required=False,
        help_text=gettext_lazy("例如：2026年度申报材料（上报前定稿）"),
    )


class CoverageView(WagtailAdminTemplateMixin, TemplateView):
    """Resolve the user's scope, the round and the optional snapshot once for every dashboard page."""

    header_icon = "table"
    template_name = "coverage/index.html"
    action = CoverageAction.VIEW_COVERAGE  # what the page's scope is the scope of

    def dispatch(self, request, *args, **kwargs):
        self.scope = q.coverage_scope(request.user, self.action)
        if self.scope is None:
            raise PermissionDenied
        code = request.GET.get("round")
        self.round = q.round_by_code(code) or (None if code else q.rounds_all().first())
        if self.round is None:
            raise Http404(_("找不到该轮次"))
        self.snapshot = None
        if request.GET.get("snapshot"):
            self.snapshot = q.snapshot_by_id(self.round, request.GET["snapshot"])
            if self.snapshot is None:
                raise Http404(_("找不到该快照"))
        return super().dispatch(request, *args, **kwargs)

    def query(self, **extra) -> str:
        """Return the query string that keeps the round and snapshot across links."""
        params = {"round": self.round.code, **({"snapshot": self.snapshot.pk} if self.snapshot else {}), **extra}
        return "?" + urlencode(params)

    def report(self, scope: q.Scope | None = None, *, communities: bool = True) -> engine.Report:
        """Return the figures of `scope` (the user's by default); `communities=False` for pages showing only cities
        and units, which then need not list every community of the province."""
        return engine.report_for(self.round, scope or self.scope, self.snapshot, communities=communities)

    def unit_scope(self, unit_code: str | None) -> q.Scope:
        """Return a scope of just this unit, refusing one the user may not see."""
        if not unit_code or not self.scope.has_unit(unit_code):
            raise Http404(_("找不到该区县"))
        return q.Scope(city_codes=frozenset(), unit_codes=frozenset({unit_code}))

    def tiers(self, level: str) -> list[dict]:
        return engine.rollup_of(self.round.standard, level)["tiers"]

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": self.link("coverage:index"), "label": _("覆盖率统计")}]

    def link(self, name: str, *args) -> str:
        return reverse(name, args=args) + self.query()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            round=self.round, snapshot=self.snapshot, query=self.query(), rounds=q.rounds_all(),
            snapshots=q.snapshots_of(self.round), may_snapshot=policy.may(self.request.user, CoverageAction.SNAPSHOT),
            snapshot_form=SnapshotForm(),
        )
        return context

    def unit_rows(self, units: list[dict], report: engine.Report) -> list[dict]:
        county_tiers, city_tiers = self.tiers(engine.COUNTY), self.tiers(engine.CITY)
        return [
            {**u, "bar": bar(u, county_tiers if u["kind"] in COUNTY_KINDS else city_tiers),
             "kind_label": UnitKind(u["kind"]).label, "url": self.link("coverage:unit", u["code"]),
             "unconfirmed": u.get("kind_confirmed") is False,
             "excluded": report.tally("units", u["code"]).describe(),
             "sheet_url": self.link("coverage:sheet", "unit", u["code"]) if u["kind"] in COUNTY_KINDS else None}
            for u in units
        ]

    def notices(self, report: engine.Report, city_codes: list[str] | None = None) -> list:
        """Return "主城区未确认" for these cities, or for those the report shows (and of its unconfirmed units)."""
        if self.snapshot is not None:
            return []  # a snapshot's figures are frozen; the notice is about what the live figures assume
        if city_codes is None:
            city_codes = [c["code"] for c in report.data["cities"]]
            city_codes += [u["city_code"] for u in report.data["units"] if u.get("kind_confirmed") is False]
        return notices(self.request, sorted(set(city_codes)))


class IndexView(CoverageView):
    page_title = gettext_lazy("智慧社区覆盖率")

    def get_breadcrumbs_items(self):
        return [*WagtailAdminTemplateMixin.get_breadcrumbs_items(self), {"url": "", "label": _("覆盖率统计")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report(communities=False)
        city_tiers = self.tiers(engine.CITY)
        context.update(
            data=report.data,
            cities=[
                {**c, "bar": bar(c, city_tiers), "url": self.link("coverage:city", c["code"]),
                 "excluded": report.tally("cities", c["code"]).describe(),
                 "sheet_url": self.link("coverage:sheet", "city", c["code"])}
                for c in report.data["cities"]
            ],
            units=self.unit_rows(report.data["units"], report), main_urban_notices=self.notices(report),
            city_tiers=[tier_label(t) for t in city_tiers],
            county_tiers=[tier_label(t) for t in self.tiers(engine.COUNTY)],
            exports=[(label, reverse("coverage:export") + self.query(format=fmt, **extra)) for label, fmt, extra in (
                (_("XLSX（设区市、区县、社区）"), "xlsx", {}), (_("CSV 设区市"), "csv", {"sheet": "cities"}),
                (_("CSV 区县"), "csv", {"sheet": "units"}), (_("CSV 社区"), "csv", {"sheet": "communities"}),
                ("JSON", "json", {}),
            )],
        )
        return context


class CityView(CoverageView):
    template_name = "coverage/city.html"

    def get_context_data(self, code, **kwargs):
        report = self.report(communities=False)
        city = next((c for c in report.data["cities"] if c["code"] == code), None)
        if city is None:
            raise Http404(_("找不到该设区市"))
        units = [u for u in report.data["units"] if u["city_code"] == code]
        self.page_title = city["name"]
        context = super().get_context_data(**kwargs)
        context.update(
            city={**city, "bar": bar(city, self.tiers(engine.CITY)),
                  "excluded": report.tally("cities", code).describe()},
            main_urban=self.unit_rows([u for u in units if u["kind"] == UnitKind.MAIN_URBAN_DISTRICT], report),
            counties=self.unit_rows([u for u in units if u["kind"] in COUNTY_KINDS], report),
            sheet_url=self.link("coverage:sheet", "city", code), main_urban_notices=self.notices(report, [code]),
        )
        return context

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]


class UnitView(CoverageView):
    template_name = "coverage/unit.html"

    def get_context_data(self, code, **kwargs):
        report = self.report(self.unit_scope(code))
        unit = next((u for u in report.data["units"] if u["code"] == code), None)
        if unit is None:
            raise Http404(_("找不到该区县"))
        self.unit = unit
        self.page_title = unit["name"]
        context = super().get_context_data(**kwargs)
        streets = [
            {"code": s_code, **s, **street_facts(s), "url": self.link("coverage:street", s_code)}
            for s_code, s in sorted(report.streets.items()) if s["unit_code"] == code
        ]
        context.update(
            unit_list=self.unit_rows([unit], report), streets=streets,
            main_urban_notices=self.notices(report, [unit["city_code"]] if unit.get("kind_confirmed") is False else []),
            heatmap=heatmap(self, report, [c for c in report.data["communities"] if c["unit_code"] == code]),
        )
        return context

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        if self.scope.has_city(self.unit["city_code"]):
            items.append({"url": self.link("coverage:city", self.unit["city_code"]), "label": _("设区市")})
        return [*items, {"url": "", "label": self.page_title}]


class StreetView(CoverageView):
    template_name = "coverage/street.html"

    def get_context_data(self, code, **kwargs):
        unit_code = self.snapshot_street_unit(code) if self.snapshot else q.unit_code_of_street(code)
        report = self.report(self.unit_scope(unit_code))
        street = report.streets.get(code)
        if street is None:
            raise Http404(_("找不到该街道/乡镇"))
        self.unit_code, self.page_title = unit_code, street["name"]
        context = super().get_context_data(**kwargs)
        members = [c for c in report.data["communities"] if report.community_streets.get(c["code"]) == code]
        context.update(street={"code": code, **street, **street_facts(street)}, heatmap=heatmap(self, report, members))
        return context

    def snapshot_street_unit(self, code: str) -> str | None:
        return self.snapshot.data.get(engine.DETAIL, {}).get("streets", {}).get(code, {}).get("unit_code")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(),
                {"url": self.link("coverage:unit", self.unit_code), "label": _("区县")},
                {"url": "", "label": self.page_title}]


class CommunityView(CoverageView):
    template_name = "coverage/community.html"

    def get_context_data(self, code, **kwargs):
        unit_code = self.snapshot_unit(code) if self.snapshot else q.unit_code_of_community(code)
        report = self.report(self.unit_scope(unit_code))
        community = next((c for c in report.data["communities"] if c["code"] == code), None)
        if community is None:
            raise Http404(_("找不到该社区"))
        self.unit_code, self.page_title = unit_code, community["name"]
        self.street_code = report.community_streets.get(code)
        context = super().get_context_data(**kwargs)
        # The JSON names the kind in Chinese (the contract value); the page shows the kind label.
        kind = CommunityKind(KIND_BY_NAME.get(community.get("kind", ""), CommunityKind.RESIDENTS)).label
        context.update(community={**placed(report, [community])[0], "kind_label": kind},
                       items=self.items(report, community))
        return context

    def snapshot_unit(self, code: str) -> str | None:
        frozen = engine.contract(self.snapshot.data)["communities"]
        return next((c["unit_code"] for c in frozen if c["code"] == code), None)

    def items(self, report: engine.Report, community: dict) -> list[dict]:
        letters = report.matrix([community["code"]])[community["code"]]
        results = {} if self.snapshot else q.community_results(self.round, q.community_by_code(community["code"]))
        standard = self.round.standard
        rows = []
        for number, letter in zip(report.items, letters, strict=True):
            result = results.get(number)
            rows.append({
                "number": number, "name": standard.item(number)["name"], "letter": letter,
                "label": q.CELL_LABELS[letter], "result": result,
                "status": Status(result.status).label if result else "",
                "reasons": readable_evaluation(result).get("reasons", []) if result else [],
                "review_url": review_url(result),
            })
        return rows

    def get_breadcrumbs_items(self):
        items = [*super().get_breadcrumbs_items(),
                 {"url": self.link("coverage:unit", self.unit_code), "label": _("区县")}]
        if self.street_code:
            items.append({"url": self.link("coverage:street", self.street_code), "label": _("街道")})
        return [*items, {"url": "", "label": self.page_title}]


class SheetView(CoverageView):
    """The printable application sheet for one city (附件1) or one county-level unit (附件2)."""

    template_name = "coverage/sheet.html"

    def get_context_data(self, level, code, **kwargs):
        report = self.report(communities=False)
        if level not in ("city", "unit"):
            raise Http404
        if level == "city":
            entry = next((c for c in report.data["cities"] if c["code"] == code), None)
            units = [u for u in report.data["units"]
                     if u["city_code"] == code and u["kind"] == UnitKind.MAIN_URBAN_DISTRICT]
        else:
            entry = next((u for u in report.data["units"] if u["code"] == code and u["kind"] in COUNTY_KINDS), None)
            units = [entry] if entry else []
        if entry is None:
            raise Http404(_("没有该设区市或县级评价单位"))
        codes = {u["code"] for u in units}
        rollup = engine.rollup_of(self.round.standard, engine.CITY if level == "city" else engine.COUNTY)
        self.page_title = f"{entry['name']} · {rollup.get('indicator', '')}"
        context = super().get_context_data(**kwargs)
        excluded = report.tally("cities" if level == "city" else "units", code).describe()
        context.update(
            level=level, entry=entry, units=units, rollup=rollup, excluded=excluded,
            main_urban_notices=self.notices(report, [code if level == "city" else entry["city_code"]])
            if level == "city" or entry.get("kind_confirmed") is False else [],
            definition=rollup.get("definition") or engine.DEFINITION, scope_note=engine.SCOPE_NOTE,
            tiers=[tier_label(t) for t in rollup["tiers"]],
            smart=self.smart_communities(codes),
            data=report.data, printed_at=timezone.localtime(),
        )
        return context


    def smart_communities(self, unit_codes: set[str]) -> list[dict]:
        """Return the smart counted communities of these units (listed for them alone, not the whole scope)."""
        report = self.report(q.Scope(city_codes=frozenset(), unit_codes=frozenset(unit_codes)))
        return placed(report, [c for c in report.data["communities"]
                               if c["unit_code"] in unit_codes and c["in_scope"] and c["smart"]])


class ExportView(CoverageView):
    action = CoverageAction.EXPORT_COVERAGE  # the same rule as the background export job

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format", "xlsx")
        report = self.report()
        name = f"coverage-{self.round.code}-" + (f"snapshot{self.snapshot.pk}" if self.snapshot else "live")
        if fmt == "json":
            return JsonResponse(report.data, json_dumps_params={"ensure_ascii": False})
        if fmt == "csv":
            sheet = request.GET.get("sheet", "units")
            if sheet not in SHEETS:
                raise Http404
            response = HttpResponse("\ufeff" + csv_text(report, sheet), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}-{sheet}.csv"'
            return response
        out = io.BytesIO()
        write_xlsx(report, out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


class SnapshotCreateView(CoverageView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = SnapshotForm(request.POST)
        policy.require(request.user, CoverageAction.SNAPSHOT)
        if form.is_valid():
            snapshot = engine.snapshot_create(round_=self.round, user=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("已生成快照 #%(pk)s：此后该快照的数字不再变化") % {"pk": snapshot.pk})
            return redirect(reverse("coverage:index") + "?" + urlencode({"round": self.round.code,
                                                                          "snapshot": snapshot.pk}))
        messages.error(request, _("说明不能超过200字"))
        return redirect(reverse("coverage:index") + self.query())


urls = [
    path("", IndexView.as_view(), name="index"),
    path("city/<str:code>/", CityView.as_view(), name="city"),
    path("unit/<str:code>/", UnitView.as_view(), name="unit"),
    path("street/<str:code>/", StreetView.as_view(), name="street"),
    path("community/<str:code>/", CommunityView.as_view(), name="community"),
    path("sheet/<str:level>/<str:code>/", SheetView.as_view(), name="sheet"),
    path("export/", ExportView.as_view(), name="export"),
    path("snapshots/new/", SnapshotCreateView.as_view(), name="snapshot_create"),
]


def admin_urls() -> list:
    """Return the dashboard's URLs for the register_admin_urls hook (under /admin/coverage/)."""
    return [path("coverage/", include((urls, "coverage"), namespace="coverage"))]


def may_view(user) -> bool:
    """Whether the dashboard's menu item is shown to the user."""
    return policy.may(user, CoverageAction.VIEW_COVERAGE)

