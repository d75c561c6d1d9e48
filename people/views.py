"""The phone's activation page: open the link from the printed sheet, set a password, and start working."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, password_validation
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.models import Assignment, CommunityPage, Role

from .activation import activation_complete, state_message, tokens
from .forms import ActivationForm


def landing(user) -> str:
    """Where a newly activated person starts: their community's checklist, the admin for staff, else home."""
    mine = Assignment.objects.filter(user=user, role=Role.WORKER).values("region_id")
    codes = list(CommunityPage.objects.filter(pk__in=mine).values_list("code", flat=True)[:2])
    if len(codes) == 1:
        return reverse("mobile:checklist", args=[codes[0]])
    if user.has_perm("wagtailadmin.access_admin"):
        return reverse("wagtailadmin_home")
    return reverse("home")


class ActivateView(PasswordResetConfirmView):
    """Django's reset-confirm flow (the token moves from the URL into the session) with our tokens and page."""

    template_name = "people/activate.html"
    token_generator = tokens
    form_class = ActivationForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.validlink:
            token = self.kwargs.get("token")
            if token == self.reset_url_token:
                token = self.request.session.get(INTERNAL_RESET_SESSION_TOKEN)
            context["refusal"] = state_message(tokens.state(self.user, token))
        context["rules"] = password_validation.password_validators_help_texts()
        context["login"] = self.user.get_username() if self.validlink else ""
        context["name"] = self.user.first_name if self.validlink else ""
        return context

    def form_valid(self, form):
        activation_complete(user=self.user, password=form.cleaned_data["new_password1"])
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        login(self.request, self.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, _("密码已设置，您已登录。以后请用手机号和这个密码登录。"))
        return redirect(landing(self.user))
