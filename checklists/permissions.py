"""Wagtail permission policies for item results, all answered by communities.policy."""

from wagtail.permissions import register_permission_policy

from communities.policy import ScopedPermissionPolicy

from .actions import ChecklistAction
from .models import ItemResult


def register() -> None:
    # Results are looked at in the admin (the review queue) and decided on there; they are only ever written by
    # the services, so no admin view may add, edit or delete one.
    register_permission_policy(ItemResult, ScopedPermissionPolicy(
        ItemResult, {"view": ChecklistAction.REVIEW}, path_field="community__path",
    ))
