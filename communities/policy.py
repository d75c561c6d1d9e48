"""Who may do what, where: the one answer to "may this user take this action on this object".

Every service, view, admin viewset, menu item and button asks `may()` (services call `require()`); nothing
else decides. Each app declares its actions and their rules beside its own code (`<app>/actions.py`) and
registers them here; an action nobody registered, or a call without an actor, raises instead of answering.
An action is allowed to the roles its rule lists, through an Assignment whose region contains the object:
a worker on its community, a verifier on its unit (or city), a bureau on its city or the province.
Administrators may take every action except those marked ``admins=False`` (item 24's sensitive evidence is
seen only by the community's own workers and verifiers) or ``delegated_only``; the system actor of an
operator's command (`audit.actors.system`) may what administrators may.

A rule may be `province`-only (held through a province-wide assignment whatever the object: the province's
own moves in the pilot programme) or `local` (not held through a province-wide assignment: a city's own
application). Some actions are also held through an assignment to the object itself (an expert to the
applications given to them): the app owning those assignments registers who holds them with `delegate`.

Objects name the region they belong to with a ``policy_region`` attribute (an item result its community, a
round EVERYWHERE because it spans the province); a region page may be passed directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q, QuerySet
from wagtail.models import Page
from wagtail.permission_policies.base import BasePermissionPolicy

from audit.actors import is_system
from audit.actors import require_actor as _actor

from .models import ProvincePage, Role
from .selectors import is_admin, region_paths


class Action(StrEnum):
    """Base of every app's actions: each app declares its own (`checklists.actions.ChecklistAction` …) beside
    its code and registers their rules with `register`; the words live with the app, the engine here."""


@dataclass(frozen=True)
class Rule:
    roles: tuple[Role, ...]
    admins: bool = True
    refusal: str = "您没有权限执行此操作"
    # Held only through an assignment covering the whole province, whatever the object (the province's moves).
    province: bool = False
    # Not held through a province-wide assignment: the province judges what a city submits, it does not author it.
    local: bool = False
    # Not held by administrators or the system actor either, only through `delegate` (an expert's own scoring).
    delegated_only: bool = False


RULES: dict[Action, Rule] = {}


def register(actions: type[Action], rules: dict[Action, Rule]) -> None:
    """Register an app's actions and their rules; every action needs a rule and a value no other app uses."""
    missing = [a for a in actions if a not in rules]
    if missing:
        raise ImproperlyConfigured(f"no rule for {missing}")
    for action, rule in rules.items():
        clash = next((a for a in RULES if a.value == action.value and a is not action), None)
        if clash is not None:
            raise ImproperlyConfigured(f"action {action.value!r} is declared twice ({clash!r}, {action!r})")
        RULES[action] = rule


def rule_of(action: Action) -> Rule:
    """Return the action's rule; an action nobody registered is an error, never allowed."""
    try:
        return RULES[action]
    except KeyError:
        raise ImproperlyConfigured(f"no policy rule registered for {action!r}") from None


def action_named(value: str) -> Action:
    """Return the registered action with this value (e.g. "save")."""
    for action in RULES:
        if action.value == value:
            return action
    raise LookupError(value)


@dataclass(frozen=True)
class _Holder:
    holds: Callable[[Any, Any], bool]
    # scope(user, model) -> the condition "held through these assignments" on the model's rows, or None when the
    # assignments give nothing of that model (listings: `scope_q`, `in_scope`, Wagtail's permission policies).
    scope: Callable[[Any, type], Q | None] | None


# Actions also held through an assignment to the object itself rather than a region (an expert to the
# applications given to them): the app that owns such assignments registers who holds them.
_HOLDERS: dict[Action, list[_Holder]] = {}


def delegate(action: Action, holds: Callable[[Any, Any], bool],
             scope: Callable[[Any, type], Q | None] | None = None) -> None:
    """Let `holds(user, obj)` grant `action` besides the rule's roles (obj may be ANYWHERE, never EVERYWHERE);
    `scope(user, model)` says which rows of a model the same assignments give, so listings agree with `may`.
    Registering the same `holds` again replaces it (an app's ready() may run more than once in tests)."""
    holders = [h for h in _HOLDERS.get(action, []) if h.holds is not holds]
    _HOLDERS[action] = [*holders, _Holder(holds, scope)]


class _Where:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


# ANYWHERE: "somewhere in the user's scope" (menus, listings); EVERYWHERE: the object spans the whole province.
ANYWHERE = _Where("ANYWHERE")
EVERYWHERE = _Where("EVERYWHERE")


def region_of(obj) -> Page | _Where:
    """Return the region an object belongs to (a page, ANYWHERE or EVERYWHERE)."""
    if isinstance(obj, _Where | Page):
        return obj
    return obj.policy_region


def _covers_everything(user, roles: tuple[Role, ...]) -> bool:
    paths = region_paths(user, roles)
    provinces = _provinces(user)
    return bool(provinces) and all(any(p.startswith(mine) for mine in paths) for p in provinces)


def _provinces(user) -> list[str]:
    return user.__dict__.setdefault("_policy_provinces", list(ProvincePage.objects.values_list("path", flat=True)))


def _paths(user, rule: Rule) -> list[str]:
    paths = region_paths(user, rule.roles)
    if rule.local:
        provinces = _provinces(user)
        paths = [path for path in paths if path not in provinces]
    return paths


def _assigned(user, rule: Rule, where) -> bool:
    if not rule.roles:
        return False
    if where is EVERYWHERE or rule.province:
        return _covers_everything(user, rule.roles)
    paths = _paths(user, rule)
    if where is ANYWHERE:
        return bool(paths)
    return any(where.path.startswith(path) for path in paths)


def _privileged(user, rule: Rule) -> bool:
    """Administrators and the system actor (an operator's command) hold every rule that admits them."""
    if rule.delegated_only or not rule.admins:
        return False
    return is_system(user) or is_admin(user)


def may(user, action: Action, obj=ANYWHERE) -> bool:
    """Whether the user may take `action` on `obj` (a region page, an object with a policy_region, ANYWHERE)."""
    user = _actor(user)
    rule = rule_of(action)
    if not user.is_authenticated or not user.is_active:
        return False
    if _privileged(user, rule):
        return True
    if is_system(user):
        return False
    if not rule.delegated_only and _assigned(user, rule, region_of(obj)):
        return True
    if obj is EVERYWHERE:
        return False
    return any(holder.holds(user, obj) for holder in _HOLDERS.get(action, ()))


def require(user, action: Action, obj=ANYWHERE) -> None:
    """Raise PermissionDenied (with a Chinese message) unless the user may take `action` on `obj`."""
    if not may(user, action, obj):
        raise PermissionDenied(rule_of(action).refusal)


def refusal(action: Action) -> str:
    """Return the message shown when `action` is refused."""
    return rule_of(action).refusal


def is_administrator(user) -> bool:
    """Whether the user is an administrator (a superuser or in the 管理员 group): the identity behind every
    `admins` rule, asked directly only where identity itself matters (the second factor)."""
    return not is_system(_actor(user)) and is_admin(user)


def scope_paths(user, action: Action) -> list[str] | None:
    """Return the tree paths under which the user may take `action`; None means everywhere (administrators)."""
    user = _actor(user)
    rule = rule_of(action)
    if not user.is_authenticated or not user.is_active:
        return []
    if _privileged(user, rule):
        return None
    if is_system(user) or not rule.roles or rule.delegated_only:
        return []
    if rule.province:
        return [path for path in _provinces(user) if _covers_everything(user, rule.roles)]
    return list(_paths(user, rule))


def _delegated_q(user, action: Action, model: type | None) -> list[Q]:
    if model is None or not user.is_authenticated or not user.is_active or is_system(user):
        return []
    found = (holder.scope(user, model) for holder in _HOLDERS.get(action, ()) if holder.scope is not None)
    return [q for q in found if q is not None]


def scope_q(user, action: Action, path_field: str = "path", model: type | None = None) -> Q:
    """Return the condition "where the user may take `action`" on rows of `model` (Q() for all): under a region
    of the user's (`path_field`), or, given the model, held through a delegated assignment."""
    user = _actor(user)
    paths = scope_paths(user, action)
    if paths is None:
        return Q()
    # Never start from Q(): Q() | X is X, so "everything" would silently become "only X".
    condition = Q(pk__in=[]) if path_field == "path" else Q(**{f"{path_field}__in": []})
    for path in paths:
        condition |= Q(**{f"{path_field}__startswith": path})
    for delegated in _delegated_q(user, action, model):
        condition |= delegated
    return condition


def in_scope(user, action: Action, queryset: QuerySet, path_field: str = "path") -> QuerySet:
    """Narrow a queryset to the objects the user may take `action` on: under their regions, or delegated."""
    return queryset.filter(scope_q(user, action, path_field, queryset.model))


class ScopedPermissionPolicy(BasePermissionPolicy):
    """Wagtail's permission-policy interface over `may`, for a model's admin viewset.

    `actions` maps Wagtail's action names ("add", "change", "delete", "view", ...) to ours, optionally with
    where a model-level check looks (e.g. ("add", (MANAGE_ROUND, EVERYWHERE)): a new round spans the
    province); an action not mapped is never allowed. `path_field` is the lookup from the model to its
    region's tree path, for listings; None when the model's objects span the province.
    """

    def __init__(self, model, actions: dict[str, Action | tuple[Action, _Where]], path_field: str | None = None):
        super().__init__(model)
        self.actions = {name: v if isinstance(v, tuple) else (v, ANYWHERE) for name, v in actions.items()}
        self.path_field = path_field

    def user_has_permission(self, user, action):
        return action in self.actions and may(user, *self.actions[action])

    def user_has_permission_for_instance(self, user, action, instance):
        return action in self.actions and may(user, self.actions[action][0], instance)

    def instances_user_has_permission_for(self, user, action):
        queryset = self.model._default_manager.all()
        if action not in self.actions:
            return queryset.none()
        ours = self.actions[action][0]
        if self.path_field is None:
            return queryset if may(user, ours, EVERYWHERE) else queryset.none()
        return in_scope(user, ours, queryset, self.path_field)

    def users_with_permission(self, action):
        users = get_user_model().objects.filter(is_active=True)
        return users.filter(pk__in=[u.pk for u in users if self.user_has_permission(u, action)])
