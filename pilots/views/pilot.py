"""One pilot: its header, the frozen self-assessment, the stage timeline, the moves the user may make (each a
small form posting the pilot's revision, so two editors get a clear refusal), reviews, 整改 tasks and visits."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages

from communities import policy

from .. import selectors, workflow
from ..actions import PilotAction
from ..forms import MoveForm, TaskReportForm, show_errors
from ..services import PilotError
from ..services.moves import early_until, pilot_move
from ..services.visits import VISIT_STAGES
from ..stages import OWNERS, Stage, stars
from .base import PilotsView, application_url, pilot_or_404, pilot_url, refused


def timeline(pilot) -> list[dict]:
    return [{"label": workflow.BY_NAME[r.move].label if r.move in workflow.BY_NAME else r.move,
             "source": r.get_source_display(), "target": r.get_target_display(), "by": r.by, "at": r.at,
             "reason": r.reason, "early_reason": r.early_reason, "deadline": r.deadline}
            for r in pilot.history.select_related("by")]


def visit_rows(pilot) -> list[dict]:
    return [{"visit": v, "photos": [{"name": p.original_name, "thumb": reverse("pilots:photo", args=[p.pk, "thumb"]),
                                     "full": reverse("pilots:photo", args=[p.pk, "full"])} for p in v.photos.all()]}
            for v in pilot.visits.prefetch_related("photos").select_related("recorded_by")]


class PilotMixin(PilotsView):
    def dispatch(self, request, *args, pk: int, **kwargs):
        self.pilot = pilot_or_404(request.user, pk)
        self.page_title = str(self.pilot)
        return super().dispatch(request, *args, **kwargs)

    def trail(self) -> list[dict]:
        application = self.pilot.application
        return [{"url": application_url(application), "label": str(application)},
                {"url": pilot_url(self.pilot), "label": str(self.pilot)}, {"url": "", "label": self.page_title}]


class PilotView(PilotMixin):
    template_name = "pilots/pilot.html"

    def trail(self) -> list[dict]:
        application = self.pilot.application
        return [{"url": application_url(application), "label": str(application)}, {"url": "", "label": self.page_title}]

    def moves(self) -> list[dict]:
        pilot, rows = self.pilot, []
        for choice in selectors.move_choices(self.request.user, pilot):
            early = early_until(pilot, choice.move)
            rows.append({"move": choice.move, "blocked": choice.blocked, "early": early,
                         "url": reverse("pilots:move", args=[pilot.pk, choice.move.name]),
                         "form": MoveForm(choice.move, initial={"revision": pilot.revision}, early_from=early),
                         "asks": choice.move.reason or choice.move.deadline or choice.move.tasks or early})
        return rows

    def task_rows(self, reports: bool) -> list[dict]:
        return [{"task": t, "url": reverse("pilots:task_report", args=[t.pk]),
                 "form": TaskReportForm() if reports and t.done_at is None else None}
                for t in self.pilot.tasks.select_related("done_by")]

    def get_context_data(self, **kwargs):
        pilot, user, today = self.pilot, self.request.user, timezone.localdate()
        contract = pilot.snapshot.data["contract"]
        context = super().get_context_data(**kwargs)
        context.update(
            pilot=pilot, application_url=application_url(pilot.application), target=stars(pilot.target_star),
            owner=OWNERS[Stage(pilot.stage)].label, granted=stars(pilot.granted_star) if pilot.granted_star else "",
            overdue=(today - pilot.deadline).days if selectors.is_overdue(pilot, today) else 0,
            self_total=contract["total"], self_star=stars(contract["star"]), history=timeline(pilot),
            moves=self.moves(), tasks=self.task_rows(policy.may(user, PilotAction.EDIT_APPLICATION, pilot)),
            reviews=[{"view": v, "url": reverse("pilots:review", args=[v.review.pk]),
                      "self_star": stars(v.score.self_star) if v.score else "",
                      "reveal": bool(v.panel and v.panel.reveals_to(user)),
                      "mean_star": stars(v.panel.star) if v.panel and v.panel.mean is not None else ""}
                     for v in selectors.reviews_of(pilot)],
            visits=visit_rows(pilot),
            visit_url=reverse("pilots:visit_add", args=[pilot.pk])
            if pilot.stage in VISIT_STAGES and policy.may(user, PilotAction.MANAGE_PILOTS, pilot) else "",
        )
        return context


class MoveView(PilotMixin):
    """One move's form (reason, deadline, tasks as the move needs), and making it through pilot_move."""

    template_name = "pilots/move.html"

    def dispatch(self, request, *args, move: str, **kwargs):
        try:
            self.move = workflow.move_named(move)
        except workflow.MoveRefused:
            raise Http404(_("没有这一步")) from None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if denied := refused(request, self.move.action, self.pilot):
            return denied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        self.page_title = self.move.label
        context = super().get_context_data(**kwargs)
        context.update(pilot=self.pilot, move=self.move, pilot_url=pilot_url(self.pilot),
                       form=form or MoveForm(self.move, initial={"revision": self.pilot.revision},
                                             early_from=early_until(self.pilot, self.move)))
        return context

    def post(self, request, *args, **kwargs):
        if denied := refused(request, self.move.action, self.pilot):
            return denied
        form = MoveForm(self.move, request.POST, early_from=early_until(self.pilot, self.move))
        if form.is_valid():
            data = form.cleaned_data
            try:
                pilot = pilot_move(user=request.user, pilot=self.pilot, move=self.move.name,
                                   reason=data.get("reason", ""), deadline=data.get("deadline"), tasks=form.tasks(),
                                   revision=data["revision"], early_reason=data.get("early_reason", ""))
            except PilotError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("%(move)s：%(region)s现为“%(stage)s”") % {
                    "move": self.move.label, "region": pilot.region.title, "stage": pilot.get_stage_display()})
                return redirect(pilot_url(pilot))
        return self.render_to_response(self.get_context_data(form=form))
