"""Who may see which part of the region tree: every scoped query goes through here."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.models import Page

from .models import ADMIN_GROUP, Assignment, CommunityPage, Role, UnitPage

User = AbstractBaseUser | AnonymousUser


def is_admin(user) -> bool:
    """Administrators see and manage everything."""
    if not user.is_authenticated:
        return False
    # Cached on the user object, i.e. for one request: a save checks scope several times.
    if not hasattr(user, "_scope_is_admin"):
        user._scope_is_admin = user.is_superuser or user.groups.filter(name=ADMIN_GROUP).exists()
    return user._scope_is_admin


def roles_of(user) -> set[str]:
    """Return the roles the user holds through assignments."""
    if not user.is_authenticated:
        return set()
    return set(Assignment.objects.filter(user=user).values_list("role", flat=True))


def region_paths(user, roles: tuple[str, ...]) -> list[str]:
    """Return the tree paths of the regions the user is assigned to in any of `roles`."""
    cache = user.__dict__.setdefault("_scope_region_paths", {})
    key = tuple(sorted(roles))
    if key not in cache:
        cache[key] = list(
            Assignment.objects.filter(user=user, role__in=roles).values_list("region__path", flat=True).distinct()
        )
    return cache[key]


def forget_scope(user) -> None:
    """Drop the scope cached on a user object (after their assignments change)."""
    user.__dict__.pop("_scope_is_admin", None)
    user.__dict__.pop("_scope_region_paths", None)


def _under(paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def pages_in_scope(user: User, model: type[Page], roles: tuple[str, ...]) -> QuerySet:
    """Return pages of `model` inside the user's assigned regions for `roles` (all of them for admins)."""
    if not user.is_authenticated:
        return model.objects.none()
    if is_admin(user):
        return model.objects.all()
    return model.objects.filter(_under(region_paths(user, roles)))


def communities_for(user, roles: tuple[str, ...] = tuple(Role.values)) -> QuerySet[CommunityPage]:
    """Return the communities the user may see in the given roles."""
    return pages_in_scope(user, CommunityPage, roles)


def units_for(user, roles: tuple[str, ...] = (Role.VERIFIER, Role.BUREAU)) -> QuerySet[UnitPage]:
    """Return the units the user may see in the given roles."""
    return pages_in_scope(user, UnitPage, roles)


def may_access_community(user, community: CommunityPage, roles: tuple[str, ...] = tuple(Role.values)) -> bool:
    """Whether the user may see this community's checklist and evidence in one of `roles`."""
    if not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    return any(community.path.startswith(p) for p in region_paths(user, roles))
