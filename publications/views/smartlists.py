"""The province publishes (or re-publishes) a round's 智慧社区名单 after seeing what it will say."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.policy import EVERYWHERE
from standards.models import Round

from .. import selectors, smartlist
from ..actions import PublicationAction
from ..forms import SmartListForm
from ..services import PublicationError, smartlists
from .base import PublicationsView, back, refused, show_errors


class SmartListView(PublicationsView):
    template_name = "publications/admin/smart_list.html"
    page_title = gettext_lazy("公布智慧社区名单")

    def dispatch(self, request, *args, pk: int, **kwargs):
        if denied := refused(request, PublicationAction.PUBLISH_SMART_LIST, EVERYWHERE):
            return denied
        self.round = get_object_or_404(Round.objects.select_related("standard"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        document = smartlist.build(self.round)
        versions = dict(selectors.rounds_with_lists()).get(self.round, [])
        context.update(round=self.round, document=document, versions=versions, form=form or SmartListForm(),
                       unchanged=bool(versions) and smartlist.same(versions[0].data, document))
        return context

    def post(self, request, *args, **kwargs):
        form = SmartListForm(request.POST)
        if form.is_valid():
            try:
                page = smartlists.smart_list_publish(user=request.user, round_=self.round)
            except PublicationError as exc:
                show_errors(form, exc)
            else:
                return back(request, reverse("publications:home"),
                            success=_("已公布%(title)s，公开页面：%(url)s") % {"title": page.title, "url": page.url})
        return self.render_to_response(self.get_context_data(form=form))
