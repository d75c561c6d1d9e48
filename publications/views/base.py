"""What every 公开信息 admin screen starts from: the breadcrumb, a plain refusal page, and messages after a write."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from communities import policy
from communities.policy import Action


class PublicationsView(WagtailAdminTemplateMixin, TemplateView):
    """An admin screen of 公开信息, with the app's breadcrumb."""

    header_icon = "globe"

    def get_breadcrumbs_items(self):
        items = [*super().get_breadcrumbs_items(), {"url": reverse("publications:home"), "label": _("公开信息")}]
        return [*items, {"url": "", "label": self.page_title}]


def refused(request, action: Action, where=policy.ANYWHERE):
    """Return a 403 page with the policy's Chinese refusal, or None when the user may take `action`."""
    if policy.may(request.user, action, where):
        return None
    return render(request, "publications/admin/unavailable.html", {"message": policy.refusal(action)}, status=403)


def error_text(error) -> str:
    """Return a PublicationError's (or PermissionDenied's) messages as one line."""
    return "；".join(str(m) for m in (getattr(error, "messages", None) or [str(error)]))


def back(request, url: str, error=None, success: str = ""):
    """Redirect to `url` with the service's refusal or a success message."""
    if error is not None:
        messages.error(request, error_text(error))
    elif success:
        messages.success(request, success)
    return redirect(url)


def show_errors(form, error) -> None:
    """Put a PublicationError's messages on the form's fields (those it does not have: on the form itself)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
