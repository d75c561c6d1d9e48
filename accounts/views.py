"""Thin views: the phone login (HTML and JSON), and the administrators' TOTP enrolment and verification."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from intake.responses import json_refusal, wants_json

from . import two_factor
from .forms import PhoneLoginForm, TokenForm
from .policy import requires_second_factor

WRONG_CODE = "动态码不正确或已过期，请输入身份验证器中当前显示的 6 位数字。"


class PhoneLoginView(LoginView):
    """/login/: the form workers reach from a QR link; the phone page's JavaScript may post it as well."""

    template_name = "smartsite/login.html"
    authentication_form = PhoneLoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if wants_json(self.request):
            return JsonResponse({"ok": True, "next": self.get_success_url()})
        return response

    def form_invalid(self, form):
        if not wants_json(self.request):
            return super().form_invalid(form)
        locked = form.has_error(NON_FIELD_ERRORS, "locked_out")
        errors = form.non_field_errors() or [_("请填写用户名和密码。")]
        return json_refusal(str(errors[0]), 429 if locked else 400, code="locked_out" if locked else "invalid_login")


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def _check(request, form, check) -> bool:
    """Run `check(token)` unless django-otp is making this user wait after wrong codes; put the reason on the form."""
    wait = two_factor.throttled_seconds(request.user)
    if wait:
        form.add_error("token", f"错误次数过多，请 {wait} 秒后再试。")
        return False
    if check(form.cleaned_data["token"]):
        return True
    form.add_error("token", WRONG_CODE)
    return False


@login_required
def two_factor_index(request):
    return redirect("accounts:two_factor_verify" if two_factor.confirmed_device(request.user)
                    else "accounts:two_factor_setup")


@login_required
def two_factor_setup(request):
    """Enrol: scan the otpauth QR code (or type the secret), then confirm with a first code."""
    user = request.user
    if not requires_second_factor(user) or user.is_verified():
        return redirect(_next_url(request))
    if two_factor.confirmed_device(user):
        return redirect(f"{reverse('accounts:two_factor_verify')}?{request.GET.urlencode()}")
    device = two_factor.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _check(request, form, lambda token: two_factor.confirm(request, device, token)):
            messages.success(request, "二次验证已启用。以后每次登录管理后台都需要输入身份验证器上的动态码。")
            return redirect(_next_url(request))
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr_svg": two_factor.qr_svg(device), "secret": two_factor.secret(device),
        "next": _next_url(request),
    })


@login_required
def two_factor_verify(request):
    """After each login: the code from the enrolled authenticator app."""
    user = request.user
    if not requires_second_factor(user) or user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.confirmed_device(user):
        return redirect(f"{reverse('accounts:two_factor_setup')}?{request.GET.urlencode()}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _check(request, form, lambda token: two_factor.verify(request, token)):
            return redirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})
