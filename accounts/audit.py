"""Identity events on the audit trail, as Wagtail log entries (registered in wagtail_hooks)."""

from __future__ import annotations

from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from audit.actors import log

PREFIX = "accounts."
# action key -> label shown in the admin's history and log reports
ACTIONS = {
    "locked_out": _("登录锁定"),
    "slowed": _("登录放慢"),
    "unlocked": _("解除登录锁定"),
    "two_factor_enrolled": _("启用二次验证"),
    "two_factor_reset": _("重置二次验证"),
}


def record(instance, action: str, *, user, title: str = "", data: dict | None = None):
    """Append one identity event about `instance` (a user, or an attempt record for an unknown name); `user` is
    who acted: a person, or the system actor (a lockout is the login protection's own doing)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    return log(_unwrapped(instance), PREFIX + action, actor=_unwrapped(user), title=title or None, data=data)


def _unwrapped(obj):
    """request.user is a lazy object in a lazy object (auth, then django-otp); Wagtail looks up the log model by
    the type it sees after one unwrap, and would silently log nothing."""
    while isinstance(obj, LazyObject):
        if obj._wrapped is empty:
            obj._setup()
        obj = obj._wrapped
    return obj


def register_actions(registry) -> None:
    for key, label in ACTIONS.items():
        registry.register_action(PREFIX + key, label, label)
