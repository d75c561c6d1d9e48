"""Facts about a user's roles and the regions they are assigned to (communities.policy builds on these)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .models import ADMIN_GROUP, Assignment

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
