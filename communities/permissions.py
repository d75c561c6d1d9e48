"""Wagtail permission policies for this app's models, all answered by communities.policy."""

from wagtail.permissions import register_permission_policy

from .actions import CommunityAction
from .models import Assignment
from .policy import EVERYWHERE, ScopedPermissionPolicy


def register() -> None:
    register_permission_policy(Assignment, ScopedPermissionPolicy(
        Assignment, {name: (CommunityAction.ASSIGN_ROLES, EVERYWHERE) for name in ("add", "change", "delete", "view")},
        path_field="region__path",
    ))
