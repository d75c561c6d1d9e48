"""Wagtail permission policies for this app's models, all answered by communities.policy."""

from wagtail.permissions import register_permission_policy

from .actions import CommunityAction
from .models import Assignment
from .policy import EVERYWHERE, ScopedPermissionPolicy


def register() -> None:
    # The raw table of every assignment is the administrators'; bureaus give roles through the roster import.
    whole_table = (CommunityAction.MANAGE_ASSIGNMENTS, EVERYWHERE)
    register_permission_policy(Assignment, ScopedPermissionPolicy(
        Assignment, {name: whole_table for name in ("add", "change", "delete", "view")},
        path_field="region__path",
    ))
