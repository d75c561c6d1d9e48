"""Private files: application materials and visit photos, served only through these views after the policy
says the viewer may see the pilot; MEDIA_URL is never served. Anything unknown, removed or not the viewer's is
a plain 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.files import CONTENT_TYPES
from communities import policy
from smartsite.private_files import private_file_response

from ..actions import PilotAction
from ..models import ApplicationFile, VisitPhoto
from ..services import PilotError, applications
from .base import application_url, back, refused


def _material(request, pk: int) -> ApplicationFile:
    material = ApplicationFile.objects.filter(pk=pk, removed_at__isnull=True).select_related(
        "application__city").first()
    if material is None or not policy.may(request.user, PilotAction.VIEW_PILOTS, material):
        raise Http404
    return material


@require_GET
def material_file(request, pk: int):
    """Send one material, as a download, to a user who may see its application."""
    material = _material(request, pk)
    return private_file_response(material.file, content_type=CONTENT_TYPES.get(material.kind, ""),
                                 filename=material.original_name, download=True)


@require_POST
def material_remove(request, pk: int):
    material = _material(request, pk)
    if denied := refused(request, PilotAction.EDIT_APPLICATION, material.application):
        return denied
    try:
        applications.material_remove(user=request.user, material=material)
    except PilotError as exc:
        return back(request, application_url(material.application), exc)
    done = _("已移除 %(name)s") % {"name": material.original_name}
    return back(request, application_url(material.application), success=done)


@require_GET
def visit_photo(request, pk: int, size: str):
    """Send a visit photo (its display copy or thumbnail) to a user who may see the pilot."""
    photo = VisitPhoto.objects.filter(pk=pk).select_related("visit__pilot__region").first()
    if photo is None or size not in ("thumb", "full") or not policy.may(request.user, PilotAction.VIEW_PILOTS, photo):
        raise Http404
    return private_file_response(photo.thumbnail if size == "thumb" else photo.image, content_type="image/jpeg")
