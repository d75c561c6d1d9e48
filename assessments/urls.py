"""The assessment screens under /admin/assessments/ (registered by wagtail_hooks)."""

from django.urls import include, path

from .views import departments, files, indicator, overview, pages

ONE = "<str:round_code>/<str:level>/<str:code>/"
urls = [
    path("", overview.IndexView.as_view(), name="index"),
    path("overview/", overview.OverviewView.as_view(), name="overview"),
    path("files/<int:pk>/", files.evidence_file, name="file"),
    path("files/<int:pk>/remove/", files.evidence_remove, name="file_remove"),
    path(ONE, pages.AssessmentPage.as_view(), name="page"),
    path(ONE + "sheet/", pages.SheetView.as_view(), name="sheet"),
    path(ONE + "export/", pages.ExportView.as_view(), name="export"),
    path(ONE + "snapshots/", pages.SnapshotCreateView.as_view(), name="snapshot_create"),
    path(ONE + "indicators/<int:number>/", indicator.IndicatorView.as_view(), name="indicator"),
    path(ONE + "indicators/<int:number>/files/", indicator.UploadView.as_view(), name="upload"),
    path(ONE + "indicators/<int:number>/communities/", indicator.CommunitiesView.as_view(), name="communities"),
    path(ONE + "departments/", departments.DepartmentsView.as_view(), name="departments"),
    path(ONE + "departments/<int:pk>/delete/", departments.DepartmentDeleteView.as_view(), name="department_delete"),
    path(ONE + "departments/<int:pk>/template/", departments.DepartmentTemplateView.as_view(),
         name="department_template"),
    path(ONE + "departments/<int:pk>/import/", departments.ImportView.as_view(), name="department_import"),
]


def admin_urls() -> list:
    return [path("assessments/", include((urls, "assessments"), namespace="assessments"))]
