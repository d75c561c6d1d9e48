"""The pilot screens under /admin/pilots/ (registered by wagtail_hooks)."""

from django.urls import include, path

from .views import applications, batches, files, index, pilot, pool, reviews, tasks, visits

urls = [
    path("", index.IndexView.as_view(), name="index"),
    path("export/", index.export, name="export"),
    path("batches/", batches.BatchListView.as_view(), name="batches"),
    path("batches/new/", batches.BatchCreateView.as_view(), name="batch_create"),
    path("batches/<int:pk>/", batches.BatchEditView.as_view(), name="batch_edit"),
    path("batches/<int:pk>/publish/", batches.BatchPublishView.as_view(), name="batch_publish"),
    path("batches/<int:batch_pk>/apply/<int:city_pk>/", index.application_start, name="application_start"),
    path("applications/<int:pk>/", applications.ApplicationView.as_view(), name="application"),
    path("applications/<int:pk>/pilots/", applications.PilotAddView.as_view(), name="pilot_add"),
    path("applications/<int:pk>/report/", applications.ReportView.as_view(), name="report"),
    path("applications/<int:pk>/materials/", applications.material_add, name="material_add"),
    path("applications/<int:pk>/submit/", applications.SubmitView.as_view(), name="submit"),
    path("applications/<int:pk>/experts/", applications.ExpertConfirmView.as_view(), name="expert_assign"),
    path("applications/<int:pk>/experts/<int:user_pk>/remove/", applications.ExpertRemoveView.as_view(),
         name="expert_unassign"),
    path("experts/", pool.PoolListView.as_view(), name="pool"),
    path("experts/new/", pool.PoolAddView.as_view(), name="pool_add"),
    path("experts/<int:pk>/", pool.PoolEditView.as_view(), name="pool_edit"),
    path("experts/<int:pk>/active/", pool.pool_active, name="pool_active"),
    path("materials/<int:pk>/", files.material_file, name="material"),
    path("materials/<int:pk>/remove/", files.material_remove, name="material_remove"),
    path("photos/<int:pk>/<str:size>/", files.visit_photo, name="photo"),
    path("<int:pk>/", pilot.PilotView.as_view(), name="pilot"),
    path("<int:pk>/moves/<str:move>/", pilot.MoveView.as_view(), name="move"),
    path("<int:pk>/refresh/", applications.pilot_refresh, name="pilot_refresh"),
    path("<int:pk>/remove/", applications.pilot_remove, name="pilot_remove"),
    path("<int:pk>/visits/", visits.VisitView.as_view(), name="visit_add"),
    path("tasks/<int:pk>/report/", tasks.task_report, name="task_report"),
    path("reviews/<int:pk>/", reviews.ReviewView.as_view(), name="review"),
    path("reviews/<int:pk>/indicators/<int:number>/communities/", reviews.CommunitiesView.as_view(),
         name="review_communities"),
    path("reviews/<int:pk>/selfcheck/", reviews.SelfcheckView.as_view(), name="selfcheck"),
]


def admin_urls() -> list:
    return [path("pilots/", include((urls, "pilots"), namespace="pilots"))]
