"""The pilots' side of communities.policy: experts hold VIEW_PILOTS and SCORE_PILOT on their applications;
Wagtail's own views may at most look, through the same policy."""

from wagtail.permissions import register_permission_policy

from communities import policy
from communities.policy import ScopedPermissionPolicy

from . import experts
from .actions import PilotAction
from .models import Application, Pilot


def register() -> None:
    policy.delegate(PilotAction.VIEW_PILOTS, experts.holds)
    policy.delegate(PilotAction.SCORE_PILOT, experts.holds)
    for model, path_field in ((Application, "city__path"), (Pilot, "region__path")):
        register_permission_policy(model, ScopedPermissionPolicy(model, {"view": PilotAction.VIEW_PILOTS},
                                                                 path_field=path_field))
