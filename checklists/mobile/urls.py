"""Routes under /c/: the QR links (fixed by interfaces.md), their JSON endpoints, evidence, QR sheets and the
list of pages a phone keeps offline (the service worker itself is at /sw.js, in smartsite.urls)."""

from django.urls import path, register_converter

from . import api, files, offline, qr_views, views


class _Code:
    """A division code of a fixed number of digits (so /c/sheets/... never reads as a community)."""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CommunityCode(_Code):
    regex = "[0-9]{12}"


class StreetCode(_Code):
    regex = "[0-9]{9}"


class UnitCode(_Code):
    regex = "[0-9]{6}"


register_converter(CommunityCode, "community")
register_converter(StreetCode, "street")
register_converter(UnitCode, "unit")

app_name = "mobile"
urlpatterns = [
    path("<community:code>/", views.checklist_page, name="checklist"),
    path("<community:code>/items/<int:number>/", views.item_page, name="item"),
    path("<community:code>/items/<int:number>/save/", api.save, name="save"),
    path("<community:code>/items/<int:number>/photos/", api.upload, name="upload"),
    path("<community:code>/items/<int:number>/photos/<int:pk>/remove/", api.photo_remove, name="photo_remove"),
    path("<community:code>/items/<int:number>/photos/<int:pk>/original/", api.photo_original,
         name="photo_original"),
    path("<community:code>/items/<int:number>/submit/", api.submit, name="submit"),
    path("<community:code>/items/<int:number>/withdraw/", api.withdraw, name="withdraw"),
    path("<community:code>/submit-all/", api.submit_all, name="submit_all"),
    path("<community:code>/evidence/<int:pk>/<str:variant>/", files.evidence_file, name="evidence"),
    path("<community:code>/qr.png", qr_views.community_qr, {"fmt": "png"}, name="qr_png"),
    path("<community:code>/qr.svg", qr_views.community_qr, {"fmt": "svg"}, name="qr_svg"),
    path("<community:code>/items/<int:number>/qr.png", qr_views.item_qr, {"fmt": "png"}, name="item_qr_png"),
    path("<community:code>/items/<int:number>/qr.svg", qr_views.item_qr, {"fmt": "svg"}, name="item_qr_svg"),
    path("<community:code>/qr-sheet/", qr_views.community_sheet, name="qr_sheet"),
    path("offline/", offline.manifest, name="offline_manifest"),
    path("sheets/street/<street:code>/", qr_views.street_sheets, name="street_sheets"),
    path("sheets/unit/<unit:code>/", qr_views.unit_sheets, name="unit_sheets"),
]
