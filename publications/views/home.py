"""公开信息 in the admin: what the user may publish or write here, each part shown to those the policy allows."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from assessments.regions import regions_in_scope
from communities import policy
from communities.policy import EVERYWHERE

from .. import selectors
from ..actions import PublicationAction
from .base import PublicationsView, refused

A = PublicationAction


def may_anything(user) -> bool:
    """Whether the user has any part of 公开信息 in the admin (its menu item and home screen)."""
    return (any(policy.may(user, action, EVERYWHERE) for action in (A.PUBLISH_NOTICE, A.PUBLISH_SMART_LIST,
                                                                     A.APPROVE_HIGHLIGHT))
            or policy.may(user, A.WRITE_HIGHLIGHT))


def editor_url(page) -> str:
    """Wagtail's editor of a report, coming back to 公开信息 after a submission or an approval."""
    return f"{reverse('wagtailadmin_pages:edit', args=[page.pk])}?next={reverse('publications:home')}"


def highlight_row(page) -> dict:
    return {"page": page, "edit_url": editor_url(page),
            "photos_url": reverse("publications:photos", args=[page.pk]),
            "public_url": page.url if page.live else "", "status": page.status_string,
            "waiting": page.workflow_in_progress}


class HomeView(PublicationsView):
    template_name = "publications/admin/home.html"
    page_title = gettext_lazy("公开信息")

    def get_breadcrumbs_items(self):
        return [*WagtailAdminTemplateMixin.get_breadcrumbs_items(self), {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        if not may_anything(request.user):
            return refused(request, A.WRITE_HIGHLIGHT)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        can = {name: policy.may(user, action, EVERYWHERE) for name, action in
               (("notice", A.PUBLISH_NOTICE), ("smart_list", A.PUBLISH_SMART_LIST), ("approve", A.APPROVE_HIGHLIGHT))}
        context["can"] = can
        if can["notice"]:
            context["revoked"] = [{"pilot": p, "notice": getattr(p, "revocation_notice", None),
                                   "url": reverse("publications:notice", args=[p.pk]),
                                   "public_url": f"/pilots/{p.application.batch.year}/"}
                                  for p in selectors.revoked_pilots()]
        if can["smart_list"]:
            context["rounds"] = [{"round": r, "versions": versions,
                                  "url": reverse("publications:smart_list", args=[r.pk])}
                                 for r, versions in selectors.rounds_with_lists()]
        context["regions"] = regions_in_scope(user, A.WRITE_HIGHLIGHT)
        context["new_url"] = reverse("publications:highlight_new")
        context["highlights"] = [highlight_row(page) for page in selectors.highlights_for(user)]
        context["public_url"] = reverse("publications_index")
        return context
