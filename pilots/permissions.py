"""The pilots' side of communities.policy: pool experts hold VIEW_PILOTS and SCORE_PILOT on their applications,
SIT_ON_PANEL where they need not stand aside and VIEW_ASSESSMENT on the evidence files they judge; Wagtail's own
views may at most look, through the same policy (and so list the same rows as the app's own screens)."""

from wagtail.permissions import register_permission_policy

from assessments.actions import AssessmentAction
from communities import policy
from communities.policy import ScopedPermissionPolicy

from . import experts
from .actions import PilotAction
from .models import Application, Pilot


def register() -> None:
    policy.delegate(PilotAction.VIEW_PILOTS, experts.sees, scope=experts.scope)
    policy.delegate(PilotAction.SCORE_PILOT, experts.scores, scope=experts.scope)
    policy.delegate(PilotAction.SIT_ON_PANEL, experts.may_sit)
    # The evidence files of the self-assessments an expert judges download through assessments' own view.
    policy.delegate(AssessmentAction.VIEW_ASSESSMENT, experts.sees_evidence)
    for model, path_field in ((Application, "city__path"), (Pilot, "region__path")):
        register_permission_policy(model, ScopedPermissionPolicy(model, {"view": PilotAction.VIEW_PILOTS},
                                                                 path_field=path_field))
