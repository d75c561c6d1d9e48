"""Login lockout on top of django-axes, which no stranger can turn into a denial of service.

- An account is locked **from one address** after LOGIN_FAILURE_LIMIT failures there (axes' lockout parameter
  ["username", "ip_address"]): five wrong passwords for `bureau` from one address never lock the real bureau out
  from another.
- An address is locked under any names after LOGIN_FAILURE_LIMIT_PER_ADDRESS failures (many names guessed from
  one place).
- An account failing from many addresses is **slowed, not shut**: past LOGIN_FAILURE_LIMIT failures in the
  cool-off period, each try must wait 2, 4, 8 … seconds after the last failure (at most
  LOGIN_SLOWDOWN_MAX_SECONDS), answered 429 with Retry-After. Its owner waits minutes at worst; a guesser gets a
  few hundred tries a day.

Refused tries are not counted (so a lock ends when the message says, and the owner's refused try does not make
the wait longer). Lockouts and slowdowns go on the audit trail; administrators list and lift them.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actors import system
from intake.responses import json_refusal, wants_json

from . import audit

ACCOUNT_ADDRESS, ADDRESS, ACCOUNT = "account_address", "ip_address", "username"


def cooloff_minutes() -> int:
    return int(get_cool_off().total_seconds() // 60)


def slowdown_seconds(failures: int) -> int:
    """Return how long an account waits after its last failure, having failed `failures` times recently."""
    excess = failures - settings.AXES_FAILURE_LIMIT
    return 0 if excess <= 0 else min(settings.LOGIN_SLOWDOWN_MAX_SECONDS, 2 ** excess)


def _account_failures(username: str, now: datetime) -> tuple[int, datetime | None]:
    recent = AccessAttempt.objects.filter(username=username, attempt_time__gte=now - get_cool_off())
    totals = recent.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
    return totals["n"] or 0, totals["last"]


def account_wait(username: str | None, now: datetime | None = None) -> int:
    """Return the seconds an account must still wait before its next try (0: it may try now)."""
    if not username:
        return 0
    now = now or timezone.now()
    failures, last = _account_failures(username, now)
    delay = slowdown_seconds(failures)
    if not delay:
        return 0
    return max(0, math.ceil((last + timedelta(seconds=delay) - now).total_seconds()))


def lockout_message(request=None) -> str:
    if wait := getattr(request, "axes_slowed", 0):
        return _("该账户近期登录失败次数较多，为防止猜测密码已放慢登录：请 %(seconds)s 秒后再试。") % {"seconds": wait}
    return _("登录失败次数过多，已暂时锁定。请 %(minutes)s 分钟后再试，或联系管理员解锁。") % {
        "minutes": cooloff_minutes()}


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
    """Axes' database handler with the address's own limit and the account's slowdown.

    Axes compares the largest failure count of AXES_LOCKOUT_PARAMETERS (the account at this address, the
    address) with one limit, AXES_FAILURE_LIMIT. The address count is scaled so it reaches that limit exactly
    when it reaches its own.
    """

    def get_failures(self, request, credentials=None) -> int:
        pair_qs, address_qs = self.get_user_attempts(request, credentials)
        pair = pair_qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
        address = address_qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
        return max(pair, address * settings.AXES_FAILURE_LIMIT // max(1, settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS))

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        wait = account_wait(get_client_username(request, credentials))
        if wait:
            request.axes_slowed = wait  # refused like a lockout, answered with the wait (lockout_response)
        return bool(wait)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        username = get_client_username(request, credentials) if request is not None else None
        counted = getattr(request, "axes_failures_since_start", None) is not None
        if counted and username and _account_failures(username, timezone.now())[0] == settings.AXES_FAILURE_LIMIT + 1:
            record_slowdown(request, username)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: keep the login page (our forms already show the message) with 429, or answer the
    phone page's JavaScript in its JSON shape; Retry-After is the lock's cool-off or the account's wait."""
    retry_after = str(getattr(request, "axes_slowed", 0) or int(get_cool_off(request).total_seconds()))
    message = lockout_message(request)
    if wants_json(request):
        response = json_refusal(message, 429, code="locked_out", retry_after=int(retry_after))
    elif original_response is None:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    else:
        response = original_response
        response.status_code = 429
    response["Retry-After"] = retry_after
    return response


@dataclass(frozen=True)
class Lockout:
    kind: str  # ACCOUNT_ADDRESS, ADDRESS or ACCOUNT (slowed)
    username: str | None
    ip_address: str | None
    failures: int
    last_attempt: datetime
    until: datetime  # when the lock lifts, or when the slowed account may try next

    @property
    def kind_label(self) -> str:
        return {ACCOUNT_ADDRESS: _("账户（从该地址）"), ADDRESS: _("地址"), ACCOUNT: _("账户（放慢登录）")}[self.kind]

    @property
    def key(self) -> str:
        return self.ip_address if self.kind == ADDRESS else self.username


def current_lockouts() -> list[Lockout]:
    """What Axes would refuse or slow at this moment, latest first: locked pairs and addresses, slowed accounts."""
    cool_off, now = get_cool_off(), timezone.now()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
    found = []
    groups = [(ACCOUNT_ADDRESS, ("username", "ip_address"), settings.AXES_FAILURE_LIMIT),
              (ADDRESS, ("ip_address",), settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS),
              (ACCOUNT, ("username",), settings.AXES_FAILURE_LIMIT + 1)]
    for kind, keys, limit in groups:
        rows = (recent.exclude(**{f"{keys[0]}__isnull": True}).values(*keys)
                .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
                .filter(failures__gte=limit))
        for row in rows:
            lasts = cool_off if kind != ACCOUNT else timedelta(seconds=slowdown_seconds(row["failures"]))
            until = row["last"] + lasts
            found.append(Lockout(kind, row.get("username"), row.get("ip_address"), row["failures"], row["last"], until))
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
    lockout or the wait goes only to the failure log (Axes does not count it, so the lock ends when promised)."""
    if getattr(request, "axes_failures_since_start", None) is None:
        AccessFailureLog.objects.create(
            username=username, ip_address=ip_address, user_agent=request.axes_user_agent,
            http_accept=request.axes_http_accept, path_info=request.axes_path_info, locked_out=True,
        )
        return
    subject = _subject(username, ip_address)
    if subject is not None:
        locked = [lockout.kind for lockout in current_lockouts() if lockout.kind != ACCOUNT and (
            lockout.ip_address == ip_address and lockout.username in (username, None))]
        audit.record(subject, "locked_out", user=system("login_lockout"),
                     title=f"{username or '（未填用户名）'} @ {ip_address}",
                     data={"username": username, "ip_address": ip_address, "path": request.path, "locked": locked})


def record_slowdown(request, username: str) -> None:
    """Audit the failure that began slowing an account down (once per episode: the first one past the limit)."""
    subject = _subject(username, request.axes_ip_address)
    if subject is not None:
        audit.record(subject, "slowed", user=system("login_lockout"), title=f"{username} @ {request.axes_ip_address}",
                     data={"username": username, "ip_address": request.axes_ip_address, "path": request.path,
                           "wait_seconds": slowdown_seconds(settings.AXES_FAILURE_LIMIT + 1)})


def unlock(kind: str, key: str, *, by, address: str | None = None) -> int:
    """Lift a lockout: an account at an address, an address, or a slowed account; returns attempts removed."""
    if kind not in (ACCOUNT_ADDRESS, ADDRESS, ACCOUNT) or (kind == ACCOUNT_ADDRESS and not address):
        raise ValueError(f"unknown lockout kind {kind!r}")
    which = {ACCOUNT_ADDRESS: {"username": key, "ip_address": address}, ADDRESS: {"ip_address": key},
             ACCOUNT: {"username": key}}[kind]
    attempts = AccessAttempt.objects.filter(**which)
    first = attempts.order_by("-attempt_time").first()
    if first is None:
        return 0
    subject = _subject(key, None) if kind != ADDRESS else None
    title = {ACCOUNT_ADDRESS: f"账户 {key} @ {address}", ADDRESS: f"地址 {key}", ACCOUNT: f"账户 {key}"}[kind]
    audit.record(subject or first, "unlocked", user=by, title=title,
                 data={"kind": kind, "key": key, "address": address,
                       "failures": sum(a.failures_since_start for a in attempts)})
    return AxesProxyHandler.reset_attempts(**which)
