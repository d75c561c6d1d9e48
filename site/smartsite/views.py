from django.shortcuts import render
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from checklists.mobile.views import cacheable, not_modified, phone_context
from checklists.selectors.home import worker_home


@gzip_page
@require_GET
def home(request):
    """Landing page: a worker's communities with their progress, returned items first; where others go next.

    Like the phone pages it carries an ETag, so the worker's phone keeps it for offline use.
    """
    if not request.user.is_authenticated:
        return render(request, "smartsite/home.html")
    home = worker_home(request)
    if unchanged := not_modified(request, home.etag):
        return unchanged
    context = {"home": home, "admin_access": request.user.has_perm("wagtailadmin.access_admin"),
               **phone_context(request)}
    response = render(request, "smartsite/home.html", context)
    response["Cache-Control"] = "no-store"
    return cacheable(request, response, home.etag)
