"""Idle timeout for staff sessions (等保: 登录连接超时自动退出).

Users who may open the Wagtail admin are logged out after STAFF_SESSION_IDLE_MINUTES without a request; phone
workers keep the round-long session (SESSION_COOKIE_AGE), since a worker's phone must not ask for the password
in the middle of a community visit. Whether a session is a staff one is decided at login and kept in the session,
so a worker's phone requests cost no permission queries; it is decided again on every admin request.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from intake.responses import json_refusal, wants_json

from .policy import is_admin_path, may_use_admin

STAFF_KEY = "accounts_staff"
SEEN_KEY = "accounts_seen"
# Writing the session on every request would cost a database write per click; a minute's precision is plenty.
TOUCH_EVERY = 60


def idle_seconds() -> int:
    return settings.STAFF_SESSION_IDLE_MINUTES * 60


def start(request, user) -> None:
    """At login: note whether this is a staff session and when it was last used."""
    session = getattr(request, "session", None)
    if session is not None:
        session[STAFF_KEY] = may_use_admin(user)
        session[SEEN_KEY] = int(time.time())


def expired(request) -> bool:
    """Whether this staff session has been idle too long; otherwise note the activity."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    session = request.session
    staff = session.get(STAFF_KEY)
    if staff is None or (not staff and is_admin_path(request.path_info)):
        # A session from before this check existed, or a worker given staff rights since logging in.
        staff = session[STAFF_KEY] = may_use_admin(user)
    if not staff:
        return False
    now, seen = int(time.time()), session.get(SEEN_KEY)
    if seen is not None and now - seen > idle_seconds():
        return True
    if seen is None or now - seen >= TOUCH_EVERY:
        session[SEEN_KEY] = now
    return False


def end(request):
    """Log the idle session out and send the caller to the matching login page with a notice."""
    login_url = reverse("wagtailadmin_login") if is_admin_path(request.path_info) else resolve_url(settings.LOGIN_URL)
    message = _("您已超过 %(minutes)s 分钟未操作，为保护数据安全已自动退出，请重新登录。") % {
        "minutes": settings.STAFF_SESSION_IDLE_MINUTES}
    logout(request)
    if wants_json(request):
        return json_refusal(message, 401, code="session_idle", login=resolve_url(settings.LOGIN_URL))
    messages.warning(request, message)
    return redirect_to_login(request.get_full_path(), login_url)
