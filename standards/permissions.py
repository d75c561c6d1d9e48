"""Wagtail permission policies for standard versions and rounds, all answered by communities.policy."""

from wagtail.permissions import register_permission_policy

from communities.policy import EVERYWHERE, ScopedPermissionPolicy

from .actions import StandardAction
from .models import Round, StandardVersion


def register() -> None:
    # Versions and rounds span the province: a new one, or a change, is for administrators (and, for rounds,
    # province-level bureaus); verifiers and bureaus may look. Neither is ever deleted: answers hang on them.
    # "change" looks EVERYWHERE like "add": Wagtail's edit view and the listing's edit buttons ask only the
    # model-level question, and a city's bureau must not even open the province's round for editing.
    register_permission_policy(StandardVersion, ScopedPermissionPolicy(
        StandardVersion, {"add": (StandardAction.EDIT_STANDARD, EVERYWHERE),
                          "change": (StandardAction.EDIT_STANDARD, EVERYWHERE),
                          "view": StandardAction.VIEW_ROUNDS},
    ))
    register_permission_policy(Round, ScopedPermissionPolicy(
        Round, {"add": (StandardAction.MANAGE_ROUND, EVERYWHERE), "change": (StandardAction.MANAGE_ROUND, EVERYWHERE),
                "view": StandardAction.VIEW_ROUNDS},
    ))
