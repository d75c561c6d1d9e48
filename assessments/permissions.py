"""Wagtail permission policies for self-assessments, all answered by communities.policy."""

from wagtail.permissions import register_permission_policy

from communities.policy import ScopedPermissionPolicy

from .actions import AssessmentAction
from .models import Assessment, AssessmentSnapshot, Department, EvidenceFile


def register() -> None:
    # Everything here is written only through assessments.services; Wagtail's own views may at most look.
    for model, path_field in ((Assessment, "region__path"), (Department, "region__path"),
                              (EvidenceFile, "assessment__region__path"),
                              (AssessmentSnapshot, "assessment__region__path")):
        register_permission_policy(model, ScopedPermissionPolicy(
            model, {"view": AssessmentAction.VIEW_ASSESSMENT}, path_field=path_field,
        ))
