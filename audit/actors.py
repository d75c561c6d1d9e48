"""Who acts: a person (a user account) or the system, for a command an operator runs with shell access.

Every write service takes an actor and asks the policy; there is no "no user" that skips the check. A command
passes `system("import_divisions")`, which the policy lets do what an administrator may, and which the trail
names (`system:import_divisions`) since no account stands behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wagtail.log_actions import log as wagtail_log

SYSTEM_PREFIX = "system:"


class MissingActor(RuntimeError):
    """A service was called without saying who acts."""


@dataclass(frozen=True)
class SystemActor:
    """An operator's command: trusted by having the shell, named on the trail by the command."""

    name: str
    is_authenticated: ClassVar[bool] = True
    is_active: ClassVar[bool] = True
    is_anonymous: ClassVar[bool] = False
    is_superuser: ClassVar[bool] = False
    is_staff: ClassVar[bool] = False
    pk: ClassVar[None] = None
    id: ClassVar[None] = None

    def get_username(self) -> str:
        return f"{SYSTEM_PREFIX}{self.name}"

    def __str__(self) -> str:
        return f"系统（{self.name}）"


def system(name: str) -> SystemActor:
    """Return the actor for an operator's command (or the system's own process), named by `name`."""
    if not name:
        raise ValueError("a system actor needs a name")
    return SystemActor(name)


def is_system(actor) -> bool:
    return isinstance(actor, SystemActor)


def require_actor(actor):
    """Return the actor, or raise MissingActor when there is none."""
    if actor is None:
        raise MissingActor("没有指明操作人：每个写操作都必须由用户或系统命令执行")
    return actor


def log_user(actor):
    """Return the user account a log entry points at (None for the system actor, named in its data)."""
    return None if is_system(require_actor(actor)) else actor


def log_data(actor, data: dict | None = None) -> dict:
    """Return the entry's data, naming the system actor when a command acted."""
    data = dict(data or {})
    if is_system(require_actor(actor)):
        data["actor"] = actor.get_username()
    return data


def log(instance, action: str, *, actor, data: dict | None = None, **kwargs):
    """Write a Wagtail log entry for `actor`: a user, or the system actor named in the entry's data."""
    return wagtail_log(instance, action, user=log_user(actor), data=log_data(actor, data), **kwargs)


def actor_name(entry) -> str:
    """Return who made a log entry: the account's login, the system command, or "" when nobody is recorded."""
    if entry.user_id is not None:
        # Log entries keep the user id even if the account is deleted later (no FK constraint).
        return entry.user.get_username() if entry.user else f"#{entry.user_id}"
    data = entry.data if isinstance(entry.data, dict) else {}
    return data.get("actor", "")
