"""现场复核: the province records a visit (date, members, findings, photos) through visit_record."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin import messages

from ..actions import PilotAction
from ..forms import VisitForm, show_errors
from ..services import PilotError, visits
from .base import pilot_url, refused
from .pilot import PilotMixin


class VisitView(PilotMixin):
    template_name = "pilots/visit_form.html"

    def get(self, request, *args, **kwargs):
        if denied := refused(request, PilotAction.MANAGE_PILOTS, self.pilot):
            return denied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        self.page_title = _("记录现场复核")
        context = super().get_context_data(**kwargs)
        context.update(pilot=self.pilot, form=form or VisitForm(), pilot_url=pilot_url(self.pilot))
        return context

    def post(self, request, *args, **kwargs):
        if denied := refused(request, PilotAction.MANAGE_PILOTS, self.pilot):
            return denied
        form = VisitForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                visits.visit_record(user=request.user, pilot=self.pilot, visited_on=data["visited_on"],
                                    members=data["members"], findings=data["findings"],
                                    photos=[(f.name, f.read()) for f in data["photos"]])
            except PilotError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("已记录现场复核"))
                return redirect(pilot_url(self.pilot) + "#visits")
        return self.render_to_response(self.get_context_data(form=form))
