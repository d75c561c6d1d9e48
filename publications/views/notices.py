"""The province writes and publishes a withdrawn pilot's 通报: its internal reason shown for reference only."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.policy import EVERYWHERE
from pilots.models import Pilot

from .. import selectors
from ..actions import PublicationAction
from ..forms import NoticeForm
from ..services import PublicationError, notices
from .base import PublicationsView, back, refused, show_errors


class NoticeView(PublicationsView):
    template_name = "publications/admin/notice.html"
    page_title = gettext_lazy("发布收回奖补通报")

    def dispatch(self, request, *args, pk: int, **kwargs):
        if denied := refused(request, PublicationAction.PUBLISH_NOTICE, EVERYWHERE):
            return denied
        self.pilot = Pilot.objects.filter(pk=pk).select_related("application__batch", "region").first()
        if self.pilot is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        notice = getattr(self.pilot, "revocation_notice", None)
        if form is None and notice is None:
            title, text = notices.suggested(self.pilot)
            form = NoticeForm(initial={"title": title, "text": text})
        context.update(pilot=self.pilot, notice=notice, form=form, reason=selectors.revocation_reason(self.pilot),
                       public_url=f"/pilots/{self.pilot.application.batch.year}/")
        return context

    def post(self, request, *args, **kwargs):
        form = NoticeForm(request.POST)
        if form.is_valid():
            try:
                notices.notice_publish(user=request.user, pilot=self.pilot, title=form.cleaned_data["title"],
                                       text=form.cleaned_data["text"])
            except PublicationError as exc:
                show_errors(form, exc)
            else:
                year = self.pilot.application.batch.year
                return back(request, reverse("publications:home"),
                            success=_("已发布通报，公开页面：%(url)s") % {"url": f"/pilots/{year}/"})
        return self.render_to_response(self.get_context_data(form=form))
