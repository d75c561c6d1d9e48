"""Request gates of the identity rules: idle staff sessions end, unverified administrators enrol or verify."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from intake.responses import json_refusal, wants_json

from . import sessions, two_factor
from .policy import requires_second_factor


class IdleSessionMiddleware:
    """After sessions and messages, before anything reads request.user for permissions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if sessions.expired(request):
            return sessions.end(request)
        return self.get_response(request)


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: an administrator whose session has not passed a TOTP code reaches only
    the enrolment/verification pages, logging out and static files. Every other page, the phone pages and the
    APIs included, holds data an administrator sees for the whole province."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not (settings.ADMIN_REQUIRE_2FA and user.is_authenticated) or self._exempt(request.path_info):
            return self.get_response(request)
        if requires_second_factor(user) and not user.is_verified():
            return self._refuse(request, user)
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        open_paths = (reverse("accounts:two_factor"), reverse("logout"), reverse("wagtailadmin_logout"),
                      settings.STATIC_URL)
        return path.startswith(open_paths)

    @staticmethod
    def _refuse(request, user):
        step = "accounts:two_factor_verify" if two_factor.confirmed_device(user) else "accounts:two_factor_setup"
        target = reverse(step)
        if wants_json(request):
            return json_refusal("管理员账户需先完成二次验证", 401, code="second_factor", login=target)
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
