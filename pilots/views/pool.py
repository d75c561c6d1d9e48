"""The province's expert pool (专家库): the list, adding a member (an existing account), editing one, and taking
them out of the pool or back in. Every screen is the province's (MANAGE_PILOTS over the province)."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from communities.policy import EVERYWHERE

from ..actions import PilotAction
from ..forms import PoolMemberForm, show_errors
from ..models import Expert, ExpertAssignment
from ..services import PilotError
from ..services import pool as services
from .base import PilotsView, back, refused


class PoolMixin(PilotsView):
    def dispatch(self, request, *args, **kwargs):
        if denied := refused(request, PilotAction.MANAGE_PILOTS, EVERYWHERE):
            return denied
        return super().dispatch(request, *args, **kwargs)

    def trail(self) -> list[dict]:
        return [{"url": reverse("pilots:pool"), "label": _("专家库")}, {"url": "", "label": self.page_title}]


class PoolListView(PoolMixin):
    template_name = "pilots/pool.html"
    page_title = gettext_lazy("专家库")

    def trail(self) -> list[dict]:
        return [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = Expert.objects.select_related("user", "city").order_by("-active", "name", "pk")
        counts = dict(ExpertAssignment.objects.values_list("expert_id").annotate(n=Count("pk")))
        context.update(rows=[{"expert": e, "assigned": counts.get(e.user_id, 0),
                              "edit_url": reverse("pilots:pool_edit", args=[e.pk])} for e in members],
                       add_url=reverse("pilots:pool_add"))
        return context


class PoolAddView(PoolMixin):
    template_name = "pilots/pool_form.html"
    page_title = gettext_lazy("加入专家库")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=form or PoolMemberForm(adding=True), expert=None)
        return context

    def post(self, request, *args, **kwargs):
        form = PoolMemberForm(request.POST, adding=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                expert = services.expert_add(by=request.user, user=data["username"], name=data["name"],
                                             organisation=data["organisation"], field=data["field"],
                                             city=data["city"])
            except PilotError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("已将%(name)s加入专家库") % {"name": expert.name})
                return redirect("pilots:pool")
        return self.render_to_response(self.get_context_data(form=form))


class PoolEditView(PoolMixin):
    template_name = "pilots/pool_form.html"
    page_title = gettext_lazy("修改专家信息")

    def dispatch(self, request, *args, pk: int, **kwargs):
        self.expert = get_object_or_404(Expert.objects.select_related("user", "city"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        e = self.expert
        context = super().get_context_data(**kwargs)
        context.update(expert=e, active_url=reverse("pilots:pool_active", args=[e.pk]),
                       form=form or PoolMemberForm(initial={"name": e.name, "organisation": e.organisation,
                                                            "field": e.field, "city": e.city}))
        return context

    def post(self, request, *args, **kwargs):
        form = PoolMemberForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.expert_update(by=request.user, expert=self.expert, name=data["name"],
                                       organisation=data["organisation"], field=data["field"], city=data["city"])
            except PilotError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("已保存%(name)s的信息") % {"name": data["name"]})
                return redirect("pilots:pool")
        return self.render_to_response(self.get_context_data(form=form))


@require_POST
def pool_active(request, pk: int):
    """Take a member out of the pool (停用) or back in."""
    if denied := refused(request, PilotAction.MANAGE_PILOTS, EVERYWHERE):
        return denied
    expert = get_object_or_404(Expert, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        expert = services.expert_set_active(by=request.user, expert=expert, active=active)
    except PilotError as exc:
        return back(request, reverse("pilots:pool"), exc)
    done = _("已将%(name)s重新入库") if active else _("已停用%(name)s：不能再被指派，也不能再查看或评分")
    return back(request, reverse("pilots:pool"), success=done % {"name": expert.name})
