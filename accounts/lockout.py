"""Login lockout on top of django-axes: separate limits per account and per address, the Chinese message and
responses, the list of current lockouts and unlocking, and the lockout events on the audit trail."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Sum
from django.http import HttpResponse
from django.utils import timezone

from audit.actors import system
from intake.responses import json_refusal, wants_json

from . import audit


def cooloff_minutes() -> int:
    return int(get_cool_off().total_seconds() // 60)


def lockout_message() -> str:
    return f"登录失败次数过多，已暂时锁定。请 {cooloff_minutes()} 分钟后再试，或联系管理员解锁。"


def client_ip(request) -> str | None:
    """The caller's address (AXES_CLIENT_IP_CALLABLE): behind TRUSTED_PROXY_COUNT proxies, the entry the nearest
    one appended to X-Forwarded-For, because behind a proxy REMOTE_ADDR is the proxy and one lock would hit all."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            try:
                return str(ipaddress.ip_address(hops[-count]))
            except ValueError:
                pass  # a forged or garbled header: fall back to the connection's address
    return request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate limit for addresses (LOGIN_FAILURE_LIMIT_PER_ADDRESS).

    Axes compares the largest failure count of AXES_LOCKOUT_PARAMETERS (username, ip_address) with one limit,
    AXES_FAILURE_LIMIT. The address count is scaled so it reaches that limit exactly when it reaches its own.
    """

    def get_failures(self, request, credentials=None) -> int:
        account_qs, address_qs = self.get_user_attempts(request, credentials)
        account = account_qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
        address = address_qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
        return max(account, address * settings.AXES_FAILURE_LIMIT // max(1, settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS))


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: keep the login page (our forms already show the lockout message) with 429, or
    answer the phone page's JavaScript in its JSON shape."""
    retry_after = str(int(get_cool_off(request).total_seconds()))
    if wants_json(request):
        response = json_refusal(lockout_message(), 429, code="locked_out", retry_after=int(retry_after))
    elif original_response is None:
        response = HttpResponse(lockout_message(), status=429, content_type="text/plain; charset=utf-8")
    else:
        response = original_response
        response.status_code = 429
    response["Retry-After"] = retry_after
    return response


@dataclass(frozen=True)
class Lockout:
    kind: str  # "username" or "ip_address"
    key: str
    failures: int
    last_attempt: datetime
    until: datetime

    @property
    def kind_label(self) -> str:
        return "账户" if self.kind == "username" else "地址"


def current_lockouts() -> list[Lockout]:
    """Accounts and addresses locked right now, latest first (what Axes would refuse at this moment)."""
    cool_off = get_cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
    limits = {"username": settings.AXES_FAILURE_LIMIT, "ip_address": settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS}
    found = []
    for kind, limit in limits.items():
        rows = (recent.exclude(**{f"{kind}__isnull": True}).values(kind)
                .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
                .filter(failures__gte=limit))
        found += [Lockout(kind, row[kind], row["failures"], row["last"], row["last"] + cool_off) for row in rows]
    return sorted(found, key=lambda lockout: lockout.last_attempt, reverse=True)


def _subject(username: str | None, ip_address: str | None):
    """What a lockout event is logged against: the account if it exists, else the attempt record itself."""
    user = get_user_model().objects.filter(username=username).first() if username else None
    if user is not None:
        return user
    attempts = AccessAttempt.objects.filter(username=username, ip_address=ip_address).order_by("-attempt_time")
    return attempts.first()


def record_lockout(request, username: str | None, ip_address: str | None) -> None:
    """Receiver of Axes' user_locked_out: audit the failure that started a lockout; a refused retry during the
    lockout goes only to the failure log (Axes does not count or log it, so the lock ends when promised)."""
    if getattr(request, "axes_failures_since_start", None) is None:
        AccessFailureLog.objects.create(
            username=username, ip_address=ip_address, user_agent=request.axes_user_agent,
            http_accept=request.axes_http_accept, path_info=request.axes_path_info, locked_out=True,
        )
        return
    subject = _subject(username, ip_address)
    if subject is not None:
        locked = [lockout.kind for lockout in current_lockouts() if lockout.key in (username, ip_address)]
        audit.record(subject, "locked_out", user=system("login_lockout"),
                     title=f"{username or '（未填用户名）'} @ {ip_address}",
                     data={"username": username, "ip_address": ip_address, "path": request.path, "locked": locked})


def unlock(kind: str, key: str, *, by) -> int:
    """Lift a lockout of an account ("username") or an address ("ip_address"); returns attempts removed."""
    if kind not in ("username", "ip_address"):
        raise ValueError(f"unknown lockout kind {kind!r}")
    attempts = AccessAttempt.objects.filter(**{kind: key})
    first = attempts.order_by("-attempt_time").first()
    if first is None:
        return 0
    subject = _subject(key, None) if kind == "username" else None
    audit.record(subject or first, "unlocked", user=by, title=f"{'账户' if kind == 'username' else '地址'} {key}",
                 data={"kind": kind, "key": key, "failures": sum(a.failures_since_start for a in attempts)})
    return AxesProxyHandler.reset_attempts(**{kind: key})
