"""Private evidence files: served only through this view, after checking that the viewer may see the
assessment; MEDIA_URL is never served. Anything unknown, removed or not the viewer's is a plain 404."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin import messages

from communities import policy

from .. import selectors, services
from ..actions import AssessmentAction
from ..files import CONTENT_TYPES
from ..regions import region_of_page


def private_file(field, content_type: str, *, filename: str = "") -> FileResponse:
    """Stream a private file (a download when `filename` is given) that no cache, sniffer or page may reuse;
    404 when its bytes are gone. Call only after the permission check."""
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type, as_attachment=bool(filename), filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
def evidence_file(request, pk: int):
    """Send one evidence file, as a download, to a user who may see its assessment."""
    evidence = selectors.evidence_by_id(pk)
    if evidence is None or not policy.may(request.user, AssessmentAction.VIEW_ASSESSMENT, evidence):
        raise Http404
    return private_file(evidence.file, CONTENT_TYPES.get(evidence.kind, "application/octet-stream"),
                        filename=evidence.original_name)


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
        messages.success(request, f"已移除 {evidence.original_name}")
    return redirect(reverse("assessments:indicator", args=[assessment.round.code, region.level, region.code,
                                                           evidence.number]))
