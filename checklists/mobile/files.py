"""Private evidence files: served only through this view, after checking who is asking. MEDIA_URL is never
served; anything unknown, removed or not the caller's is a plain 404, so guessing reveals nothing."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET

from communities import policy

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


def _local_path(file) -> str | None:
    try:
        return file.path
    except NotImplementedError:  # object storage has no local path; Django streams it instead
        return None


def _handoff(file, content_type: str) -> HttpResponse | None:
    """Let nginx, Apache/lighttpd (X-Sendfile) or the object store (a signed URL) send the file, if configured."""
    mode = settings.EVIDENCE_SERVE
    if mode == "x-accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.EVIDENCE_ACCEL_PREFIX.rstrip("/") + "/" + quote(file.name)
        return response
    if mode == "x-sendfile" and (path := _local_path(file)):
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = path
        return response
    if mode == "redirect" and _local_path(file) is None:
        # Object storage (issue 6): send the phone to a short-lived signed URL instead of streaming through
        # the app. The redirect must not outlive the signature, so it is cached for less than its expiry.
        expire = int(getattr(file.storage, "querystring_expire", 300))
        response = HttpResponseRedirect(file.storage.url(file.name, parameters={"ResponseContentType": content_type}))
        response["Cache-Control"] = f"private, max-age={max(0, expire - 60)}"
        return response
    return None


@require_GET
def evidence_file(request, code: str, pk: int, variant: str):
    """Send one rendition of a photo to a user who may see the community's evidence."""
    if variant not in VARIANTS:
        raise Http404
    evidence = evidence_for(code=code, pk=pk)
    if evidence is None or not policy.may(request.user, evidence_action(evidence), evidence):
        raise Http404
    file = getattr(evidence, VARIANTS[variant])
    if not file:
        raise Http404
    content_type = _content_type(evidence, variant)
    response = _handoff(file, content_type)
    if response is None:
        try:
            handle = file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        name = evidence.original_name or file.name.rsplit("/", 1)[-1]
        response = FileResponse(handle, content_type=content_type, as_attachment=variant == "original",
                                filename=name if variant == "original" else "")
    response.setdefault("Cache-Control", CACHE_CONTROL)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
