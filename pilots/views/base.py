"""What every pilot screen starts from: the app's breadcrumb, a plain refusal page, and the objects a user may
see (a pilot, application or review outside the user's scope is a plain 404, as if it did not exist)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from communities import policy
from communities.policy import Action

from .. import selectors
from ..models import Application, Pilot, Review


class PilotsView(WagtailAdminTemplateMixin, TemplateView):
    """An admin screen of the pilot programme, with the app's breadcrumb."""

    header_icon = "site"

    def get_breadcrumbs_items(self):
        items = [*super().get_breadcrumbs_items(), {"url": reverse("pilots:index"), "label": _("省级试点")}]
        return [*items, *self.trail()]

    def trail(self) -> list[dict]:
        """The breadcrumb items after 省级试点 (none for the index)."""
        return [{"url": "", "label": self.page_title}]


def unavailable(request, message: str, status: int = 200):
    """Render a plain explanation instead of a screen that cannot be shown."""
    return render(request, "pilots/unavailable.html", {"message": message}, status=status)


def refused(request, action: Action, where=policy.ANYWHERE):
    """Return a 403 page with the policy's Chinese refusal, or None when the user may take `action`."""
    if policy.may(request.user, action, where):
        return None
    return unavailable(request, policy.refusal(action), status=403)


def error_text(error) -> str:
    """Return a PilotError's (or PermissionDenied's) messages as one line."""
    return "；".join(getattr(error, "messages", None) or [str(error)])


def back(request, url: str, error=None, success: str = ""):
    """Redirect to `url` with the service's refusal or a success message."""
    if error is not None:
        messages.error(request, error_text(error))
    elif success:
        messages.success(request, success)
    return redirect(url)


def pilot_or_404(user, pk: int) -> Pilot:
    pilot = selectors.visible_pilots(user).select_related("snapshot", "round").filter(pk=pk).first()
    if pilot is None:
        raise Http404(_("找不到该试点"))
    return pilot


def application_or_404(user, pk: int) -> Application:
    application = selectors.visible_applications(user).filter(pk=pk).first()
    if application is None:
        raise Http404(_("找不到该申报"))
    return application


def review_or_404(user, pk: int) -> Review:
    review = Review.objects.filter(pk=pk, pilot__in=selectors.visible_pilots(user)).select_related(
        "pilot__application__batch", "pilot__application__city", "pilot__region", "snapshot").first()
    if review is None:
        raise Http404(_("找不到该评审"))
    return review


def pilot_url(pilot: Pilot) -> str:
    return reverse("pilots:pilot", args=[pilot.pk])


def application_url(application: Application) -> str:
    return reverse("pilots:application", args=[application.pk])
