from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.JobsView.as_view(), name="index"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/retry/", views.job_retry_view, name="retry"),
    path("<int:pk>/download/", views.job_download, name="download"),
]
