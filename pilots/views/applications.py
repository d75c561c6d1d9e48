"""A city's application: its pilots (add, refresh, remove while a draft), the report, materials, submission after
a confirm step, and for the province the experts assigned to it."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from assessments.files import MAX_BYTES
from assessments.regions import region_of_page, regions
from communities import policy
from communities.policy import EVERYWHERE

from .. import experts
from ..actions import PilotAction
from ..forms import ExpertForm, MaterialForm, PilotAddForm, ReportForm, show_errors
from ..models import ExpertAssignment
from ..panel import min_experts
from ..services import PilotError, applications
from ..stages import Stage, stars
from .base import PilotsView, application_or_404, application_url, back, pilot_or_404, pilot_url, refused


def candidate_regions(application) -> list:
    """The city and its county-level units not yet in the application."""
    taken = set(application.pilots.values_list("region_id", flat=True))
    return [r for r in regions(None, Q(path__startswith=application.city.path)) if r.pk not in taken]


class ApplicationView(PilotsView):
    template_name = "pilots/application.html"

    def dispatch(self, request, *args, pk: int, **kwargs):
        self.application = application_or_404(request.user, pk)
        self.page_title = str(self.application)
        return super().dispatch(request, *args, **kwargs)

    @property
    def may_edit(self) -> bool:
        return policy.may(self.request.user, PilotAction.EDIT_APPLICATION, self.application)

    def pilot_rows(self, pilots) -> list[dict]:
        return [{"pilot": p, "url": pilot_url(p), "target": stars(p.target_star), "draft": p.stage == Stage.DRAFT,
                 "total": p.snapshot.data["contract"]["total"], "star": stars(p.snapshot.data["contract"]["star"]),
                 "refresh_url": reverse("pilots:pilot_refresh", args=[p.pk]),
                 "remove_url": reverse("pilots:pilot_remove", args=[p.pk])} for p in pilots]

    def get_context_data(self, add_form=None, report_form=None, **kwargs):
        application, user = self.application, self.request.user
        pilots = list(application.pilots.select_related("region", "snapshot").order_by("level", "region__path"))
        editable = self.may_edit and (not pilots or any(p.stage == Stage.DRAFT for p in pilots))
        manages = policy.may(user, PilotAction.MANAGE_PILOTS, EVERYWHERE)
        pk = application.pk
        context = super().get_context_data(**kwargs)
        context.update(
            application=application, pilots=self.pilot_rows(pilots), editable=editable, manages=manages,
            add_form=add_form or PilotAddForm(candidate_regions(application)),
            report_form=report_form or ReportForm(initial={"report": application.report}),
            material_form=MaterialForm(), expert_form=ExpertForm(),
            materials=application.materials.filter(removed_at__isnull=True).select_related("uploaded_by"),
            experts=[{"expert": a.expert, "member": getattr(a.expert, "pilot_expert", None),
                      "remove_url": reverse("pilots:expert_unassign", args=[pk, a.expert_id])}
                     for a in ExpertAssignment.objects.filter(application=application).select_related(
                         "expert__pilot_expert__city").order_by("assigned_at", "pk")],
            needed=min_experts(),
            may_submit=editable and any(p.stage == Stage.DRAFT for p in pilots),
            add_url=reverse("pilots:pilot_add", args=[pk]), report_url=reverse("pilots:report", args=[pk]),
            material_url=reverse("pilots:material_add", args=[pk]), submit_url=reverse("pilots:submit", args=[pk]),
            expert_url=reverse("pilots:expert_assign", args=[pk]),
        )
        return context


class EditView(ApplicationView):
    """A screen that changes the application: the city bureau's (others get the policy's refusal)."""

    def dispatch(self, request, *args, pk: int, **kwargs):
        application = application_or_404(request.user, pk)
        if denied := refused(request, PilotAction.EDIT_APPLICATION, application):
            return denied
        return super().dispatch(request, *args, pk=pk, **kwargs)


class PilotAddView(EditView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = PilotAddForm(candidate_regions(self.application), request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                pilot = applications.pilot_add(user=request.user, application=self.application,
                                               region=form.chosen_region(), target_star=data["target_star"],
                                               round_=data["round"])
            except PilotError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("已将%(region)s列入申报（%(target)s）") % {"region": pilot.region.title,
                                                                              "target": pilot.target_label})
                return redirect(application_url(self.application))
        return self.render_to_response(self.get_context_data(add_form=form))


class ReportView(EditView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                applications.report_save(user=request.user, application=self.application,
                                         report=form.cleaned_data["report"])
            except PilotError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("已保存申请报告"))
                return redirect(application_url(self.application))
        return self.render_to_response(self.get_context_data(report_form=form))


class SubmitView(EditView):
    """Confirm, then submit the application in the city's name."""

    template_name = "pilots/confirm_submit.html"

    def trail(self) -> list[dict]:
        return [{"url": application_url(self.application), "label": self.page_title},
                {"url": "", "label": _("提交申报")}]

    def post(self, request, *args, **kwargs):
        try:
            applications.application_submit(user=request.user, application=self.application)
        except PilotError as exc:
            return back(request, application_url(self.application), exc)
        return back(request, application_url(self.application), success=_("申报已提交，进入形式审查"))


@require_POST
def material_add(request, pk: int):
    application = application_or_404(request.user, pk)
    if denied := refused(request, PilotAction.EDIT_APPLICATION, application):
        return denied
    form, target = MaterialForm(request.POST, request.FILES), application_url(application)
    if not form.is_valid():
        return back(request, target, PilotError(_("请选择要上传的文件")))
    upload = form.cleaned_data["file"]
    if upload.size > MAX_BYTES:  # refused before reading it into memory
        return back(request, target, PilotError(_("未上传：文件超过%(mb)s MB") % {"mb": MAX_BYTES // 2**20}))
    try:
        applications.material_attach(user=request.user, application=application, data=upload.read(),
                                     filename=upload.name)
    except PilotError as exc:
        return back(request, target, exc)
    return back(request, target, success=_("已上传 %(name)s") % {"name": upload.name})


@require_POST
def pilot_refresh(request, pk: int):
    pilot = pilot_or_404(request.user, pk)
    if denied := refused(request, PilotAction.EDIT_APPLICATION, pilot.application):
        return denied
    try:
        applications.pilot_refresh(user=request.user, pilot=pilot, region=region_of_page(pilot.region_id))
    except PilotError as exc:
        return back(request, application_url(pilot.application), exc)
    done = _("已更新%(region)s的自评快照") % {"region": pilot.region.title}
    return back(request, application_url(pilot.application), success=done)


@require_POST
def pilot_remove(request, pk: int):
    pilot = pilot_or_404(request.user, pk)
    if denied := refused(request, PilotAction.EDIT_APPLICATION, pilot.application):
        return denied
    try:
        applications.pilot_remove(user=request.user, pilot=pilot)
    except PilotError as exc:
        return back(request, application_url(pilot.application), exc)
    done = _("已将%(region)s移出申报") % {"region": pilot.region.title}
    return back(request, application_url(pilot.application), success=done)


class ExpertConfirmView(PilotsView):
    """Assigning or unassigning an expert: a confirm page (GET), then the change (POST); the province's."""

    template_name = "pilots/confirm_expert.html"
    assigning = True

    def dispatch(self, request, *args, pk: int, **kwargs):
        self.application = application_or_404(request.user, pk)
        if denied := refused(request, PilotAction.MANAGE_PILOTS, EVERYWHERE):
            return denied
        self.expert = self.chosen(request, **kwargs)
        if self.expert is None:
            return back(request, application_url(self.application), PilotError(_("请选择专家库中的专家")))
        member = experts.member_of_pool(self.expert)
        self.name = member.name if member else self.expert.get_username()
        self.page_title = (_("指派评估专家") if self.assigning else _("取消评估专家指派"))
        return super().dispatch(request, *args, **kwargs)

    def chosen(self, request, **kwargs):
        form = ExpertForm(request.POST if request.method == "POST" else request.GET)
        return form.cleaned_data["expert"] if form.is_valid() else None

    def trail(self) -> list[dict]:
        return [{"url": application_url(self.application), "label": str(self.application)},
                {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(application=self.application, expert=self.expert, member=experts.member_of_pool(self.expert),
                       name=self.name, assigning=self.assigning, back_url=application_url(self.application),
                       conflict=experts.conflict(self.expert, self.application) if self.assigning else "")
        return context

    def post(self, request, *args, **kwargs):
        target = application_url(self.application) + "#experts"
        try:
            if self.assigning:
                experts.expert_assign(by=request.user, application=self.application, expert=self.expert)
            else:
                experts.expert_unassign(by=request.user, application=self.application, expert=self.expert)
        except PilotError as exc:
            return back(request, target, exc)
        done = _("已指派评估专家 %(name)s") if self.assigning else _("已取消 %(name)s 的指派")
        return back(request, target, success=done % {"name": self.name})


class ExpertRemoveView(ExpertConfirmView):
    assigning = False

    def chosen(self, request, *, user_pk: int, **kwargs):
        assignment = ExpertAssignment.objects.filter(application=self.application, expert_id=user_pk).select_related(
            "expert").first()
        return assignment.expert if assignment else None
