"""The public 省级试点名单 of each batch exactly as published, at /pilots/<year>/list/: the live PilotListPage, nothing
else, no login. (/pilots/<year>/ itself, the batch with its pilots' outcomes, is publications.public.)"""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _

from .models import PilotListPage


def pilot_list(request: HttpRequest, year: int) -> HttpResponse:
    """Serve the batch's published list page; 404 before publication (or once the page is unpublished)."""
    page = (PilotListPage.objects.live().public().select_related("batch")
            .filter(batch__year=year, batch__published_at__isnull=False).first())
    if page is None:
        raise Http404(_("该年度的省级试点名单尚未公布"))
    return page.serve(request)


urlpatterns = [path("pilots/<int:year>/list/", pilot_list, name="pilot_list")]
