"""主城区确认 in the admin: a city's county-level units with their code-derived kind and their assessment kind, and
one form that confirms or changes every district the city decides (through communities.main_urban)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import PageLogEntry

from audit.actors import actor_name

from . import main_urban, policy
from .actions import CommunityAction
from .models import CityPage, UnitKind

FIELD_PREFIX = "kind_"


def cities_for(user):
    """Return the live cities whose main urban area the user may confirm, by code."""
    cities = CityPage.objects.filter(retired_at__isnull=True).order_by("code")
    return policy.in_scope(user, CommunityAction.CONFIRM_MAIN_URBAN, cities)


def may_confirm_somewhere(user) -> bool:
    """Whether the menu item shows: the user may confirm some city's main urban area (a county's bureau may not)."""
    return cities_for(user).exists()


@dataclass(frozen=True)
class Notice:
    """"主城区未确认" for one city, with the link to its screen when the user may confirm it."""

    city: main_urban.Unconfirmed
    url: str


def notices(request, city_codes: Iterable[str] | None) -> list[Notice]:
    """Return the notices the coverage and self-assessment screens show for these cities (None: all); the link
    comes back to the page the user is on."""
    found = main_urban.unconfirmed(city_codes)
    if not found:
        return []
    allowed = set(cities_for(request.user).filter(code__in=[u.code for u in found]).values_list("code", flat=True))
    back = "?" + urlencode({"next": request.get_full_path()})
    return [Notice(u, reverse("communities_main_urban_city", args=[u.code]) + back if u.code in allowed else "")
            for u in found]


class MainUrbanForm(forms.Form):
    """One radio group per district the city decides, plus the state the form was drawn from."""

    state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, districts: list[main_urban.District], *args, **kwargs):
        super().__init__(*args, **kwargs)
        for district in districts:
            if district.city_decides:
                self.fields[FIELD_PREFIX + district.code] = forms.ChoiceField(
                    label=f"{district.name}（{district.code}）", choices=list(main_urban.CHOICE_LABELS.items()),
                    widget=forms.RadioSelect, initial=district.kind,
                    error_messages={"required": _("请为%(name)s选择类型") % {"name": district.name},
                                    "invalid_choice": _("请选择“主城区”或“独立性较强的建制区”")})
        self.fields["state"].initial = main_urban.state_of(districts)

    def kinds(self) -> dict[str, str]:
        return {name[len(FIELD_PREFIX):]: value for name, value in self.cleaned_data.items()
                if name.startswith(FIELD_PREFIX)}

    def groups(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(FIELD_PREFIX)]


def _kind_text(kind: str, confirmed: bool) -> str:
    label = str(UnitKind(kind).label)
    return label if confirmed else _("%(kind)s（待确认）") % {"kind": label}


def decisions(city: CityPage) -> list[dict]:
    """Return the city's recorded decisions, newest first: who, when, which district from what to what."""
    entries = PageLogEntry.objects.filter(page=city, action=main_urban.CONFIRMED).select_related("user")
    return [{"at": entry.timestamp, "by": actor_name(entry) or "—",
             "changes": [f"{c['name']}：{_kind_text(c['from']['kind'], c['from']['confirmed'])} → "
                         f"{UnitKind(c['to']['kind']).label}" for c in entry.data.get("changes", [])]}
            for entry in entries.order_by("-timestamp", "-pk")[:20]]


class MainUrbanView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "site"
    page_title = gettext_lazy("主城区确认")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": reverse("communities_main_urban"), "label": self.page_title}]


class IndexView(MainUrbanView):
    """The cities the user may decide for; with only one, straight to its screen."""

    template_name = "communities/main_urban_index.html"

    def get(self, request, *args, **kwargs):
        cities = list(cities_for(request.user))
        if not cities:
            raise PermissionDenied(policy.refusal(CommunityAction.CONFIRM_MAIN_URBAN))
        if len(cities) == 1:
            return redirect("communities_main_urban_city", cities[0].code)
        waiting = {u.code: u for u in main_urban.unconfirmed([c.code for c in cities])}
        rows = [{"city": c, "waiting": waiting.get(c.code),
                 "url": reverse("communities_main_urban_city", args=[c.code])} for c in cities]
        return self.render_to_response(self.get_context_data(rows=rows))


class CityView(MainUrbanView):
    """One city's districts and the form that confirms or changes them all."""

    template_name = "communities/main_urban.html"

    def dispatch(self, request, *args, code: str, **kwargs):
        self.city = CityPage.objects.filter(code=code, retired_at__isnull=True).first()
        if self.city is None:
            raise Http404(_("找不到该设区市"))
        policy.require(request.user, CommunityAction.CONFIRM_MAIN_URBAN, self.city)
        self.page_title = _("%(city)s · 主城区确认") % {"city": self.city.title}
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.city.title}]

    def next_url(self) -> str:
        """Return where to go after saving: the screen that sent the user here (coverage, 自评), if it is ours."""
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        safe = url_has_allowed_host_and_scheme(target, {self.request.get_host()}, self.request.is_secure())
        return target if safe and target.startswith("/") else ""

    def render_form(self, form: MainUrbanForm, districts: list[main_urban.District]):
        decided = [d for d in districts if d.city_decides]
        context = self.get_context_data(
            city=self.city, form=form, decided=decided, choices=list(zip(decided, form.groups(), strict=True)),
            fixed=[d for d in districts if not d.city_decides],
            waiting=[d for d in decided if not d.confirmed], decisions=decisions(self.city), next=self.next_url(),
        )
        return self.render_to_response(context)

    def get(self, request, *args, **kwargs):
        districts = main_urban.districts_of(self.city)
        return self.render_form(MainUrbanForm(districts), districts)

    def post(self, request, *args, **kwargs):
        districts = main_urban.districts_of(self.city)
        form = MainUrbanForm(districts, request.POST)
        if form.is_valid():
            try:
                changes = main_urban.main_urban_confirm(city=self.city, kinds=form.kinds(), actor=request.user,
                                                        state=form.cleaned_data["state"])
            except main_urban.MainUrbanError as exc:
                if main_urban.STALE in exc.errors:  # show what is there now, then let them decide again
                    messages.error(request, exc.errors[main_urban.STALE])
                    return redirect(request.get_full_path())
                for key, message in exc.errors.items():
                    field = FIELD_PREFIX + key
                    form.add_error(field if field in form.fields else None, message)
            else:
                if changes:
                    messages.success(request, _("已确认%(city)s的主城区：%(n)d个区的类型已记录") % {
                        "city": self.city.title, "n": len(changes)})
                else:
                    messages.info(request, _("各区类型均已确认，没有变化"))
                return redirect(self.next_url() or request.path)
        return self.render_form(form, districts)
