"""The public pages, for everyone, no login: only what is published (live, public pages) is ever served.

/publications/                                   公开信息: batches, 智慧社区名单, approved highlights
/publications/smart-communities/<round>/         a round's newest 名单; …/v<n>/ an earlier version, still reachable
/publications/highlights/<id>/                   an approved highlight report
/publications/highlights/photos/<id>/<size>/     its photos (thumb, display): approved ones to everyone, drafts'
                                                 only to those who may edit or approve the report
/pilots/<year>/                                  the batch: the listed pilots and their outcomes, the 通报
(/pilots/<year>/list/ is the list exactly as published: pilots.public.)
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from smartsite.private_files import private_file_response

from . import selectors
from .models import HighlightPage, HighlightPhoto, PublicationsIndexPage
from .page_permissions import approves, writes

PHOTO_SIZES = ("thumb", "display")
PUBLIC_PHOTO_CACHE = "public, max-age=300"  # a photo taken off disappears from caches within minutes


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    page = PublicationsIndexPage.objects.first()
    if page is None:
        # Nothing was ever published: the same page, empty, rather than a dead link from the home page.
        page = PublicationsIndexPage(title=_("公开信息"))
    elif not page.live or page.get_view_restrictions().exists():
        raise Http404(_("公开信息页面已撤下"))
    return page.serve(request)


@require_GET
def batch(request: HttpRequest, year: int) -> HttpResponse:
    """The batch's page: its listed pilots with their outcomes as they happen, and the 通报 published."""
    page = selectors.live_batch_page(year)
    if page is None:
        raise Http404(_("该年度的省级试点名单尚未公布"))
    outcomes = selectors.batch_outcomes(page.batch)
    context = {"page": page, "outcomes": outcomes, "notices": selectors.batch_notices(page.batch),
               "listed": len(page.batch.published_list)}
    return TemplateResponse(request, "publications/batch_page.html", context)


@require_GET
def smart_list(request: HttpRequest, round_code: str, version: int | None = None) -> HttpResponse:
    versions = selectors.smart_list_versions(round_code)
    chosen = next((p for p in versions if version is None or p.version == version), None)
    if chosen is None:
        raise Http404(_("该轮次的智慧社区名单尚未公布"))
    return chosen.specific.serve(request)


@require_GET
def highlight(request: HttpRequest, pk: int) -> HttpResponse:
    page = get_object_or_404(HighlightPage.objects.live().public(), pk=pk)
    return page.serve(request)


@require_GET
def highlight_photo(request: HttpRequest, pk: int, size: str) -> FileResponse:
    photo = HighlightPhoto.objects.filter(pk=pk).select_related("page").first()
    if photo is None or size not in PHOTO_SIZES:
        raise Http404
    field = photo.thumbnail if size == "thumb" else photo.image
    if selectors.is_public_photo(photo):
        try:
            response = FileResponse(field.open("rb"), content_type="image/jpeg")
        except FileNotFoundError:
            raise Http404 from None
        response["Cache-Control"] = PUBLIC_PHOTO_CACHE
        response["X-Content-Type-Options"] = "nosniff"
        return response
    # Not (yet) public: its editors and the province see it in the editor and the preview.
    if photo.removed_at is None and (writes(request.user, photo.page) or approves(request.user, photo.page)):
        return private_file_response(field, content_type="image/jpeg")
    raise Http404


urlpatterns = [
    path("publications/", index, name="publications_index"),
    path("publications/smart-communities/<str:round_code>/", smart_list, name="smart_list"),
    path("publications/smart-communities/<str:round_code>/v<int:version>/", smart_list, name="smart_list_version"),
    path("publications/highlights/<int:pk>/", highlight, name="highlight"),
    path("publications/highlights/photos/<int:pk>/<str:size>/", highlight_photo, name="highlight_photo"),
    path("pilots/<int:year>/", batch, name="pilot_batch"),
]
