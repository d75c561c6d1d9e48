"""Private evidence files: served only through this view, after checking that the viewer may see the
assessment; MEDIA_URL is never served. Anything unknown, removed or not the viewer's is a plain 404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin import messages

from communities import policy
from smartsite.private_files import private_file_response

from .. import selectors, services
from ..actions import AssessmentAction
from ..files import CONTENT_TYPES
from ..regions import region_of_page


@require_GET
def evidence_file(request, pk: int):
    """Send one evidence file, as a download, to a user who may see its assessment."""
    evidence = selectors.evidence_by_id(pk)
    if evidence is None or not policy.may(request.user, AssessmentAction.VIEW_ASSESSMENT, evidence):
        raise Http404
    return private_file_response(evidence.file, content_type=CONTENT_TYPES.get(evidence.kind, ""),
                                 filename=evidence.original_name, download=True)


@require_POST
def evidence_remove(request, pk: int):
    """Take a file off its indicator (kept for the audit trail)."""
    evidence = selectors.evidence_by_id(pk)
    if evidence is None or not policy.may(request.user, AssessmentAction.VIEW_ASSESSMENT, evidence):
        raise Http404
    assessment, region = evidence.assessment, region_of_page(evidence.assessment.region_id)
    try:
        services.evidence_remove(user=request.user, evidence=evidence)
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已移除 %(name)s") % {"name": evidence.original_name})
    return redirect(reverse("assessments:indicator", args=[assessment.round.code, region.level, region.code,
                                                           evidence.number]))
