from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="smartsite/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", include(wagtailadmin_urls)),
    path("c/", include("checklists.mobile.urls")),
    path("api/", include("coverage.api")),
]
