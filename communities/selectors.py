"""Who may see which part of the region tree: every scoped query goes through here."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.models import Page

from .models import ADMIN_GROUP, Assignment, CommunityPage, Role, UnitPage

User = AbstractBaseUser | AnonymousUser


def is_admin(user) -> bool:
    """Administrators see and manage everything."""
    return bool(user.is_authenticated and (user.is_superuser or user.groups.filter(name=ADMIN_GROUP).exists()))


def roles_of(user) -> set[str]:
    """Return the roles the user holds through assignments."""
    if not user.is_authenticated:
        return set()
    return set(Assignment.objects.filter(user=user).values_list("role", flat=True))


def region_paths(user, roles: tuple[str, ...]) -> list[str]:
    """Return the tree paths of the regions the user is assigned to in any of `roles`."""
    return list(
        Assignment.objects.filter(user=user, role__in=roles).values_list("region__path", flat=True).distinct()
    )


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
