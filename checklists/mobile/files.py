"""Private evidence files: served only through this view, after checking who is asking. MEDIA_URL is never
served; anything unknown, removed or not the caller's is a plain 404, so guessing reveals nothing."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_GET

from communities import policy
from smartsite.private_files import private_file_response

from ..models import Evidence
from ..photos import MIME_TYPES
from ..selectors.mobile import evidence_action, evidence_for

VARIANTS = {"thumb": "thumbnail", "display": "display", "original": "original"}
# The files never change (each upload has its own random path), so a phone may keep them, but only privately.
CACHE_CONTROL = "private, max-age=604800, immutable"


def _content_type(evidence: Evidence, variant: str) -> str:
    if variant != "original":
        return "image/jpeg"
    if evidence.format == "HEIF" and evidence.original.name.endswith(".heic"):
        return "image/heic"
    return MIME_TYPES.get(evidence.format, "application/octet-stream")


@require_GET
def evidence_file(request, code: str, pk: int, variant: str):
    """Send one rendition of a photo to a user who may see the community's evidence."""
    if variant not in VARIANTS:
        raise Http404
    evidence = evidence_for(code=code, pk=pk)
    if evidence is None or not policy.may(request.user, evidence_action(evidence), evidence):
        raise Http404
    file = getattr(evidence, VARIANTS[variant])
    original = variant == "original"
    return private_file_response(file, content_type=_content_type(evidence, variant),
                                 filename=evidence.original_name if original else "", download=original,
                                 cache_control=CACHE_CONTROL)
