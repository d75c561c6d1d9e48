from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls

from accounts.views import PhoneLoginView
from checklists.mobile.offline import service_worker
from communities.region_scope import scoped_admin_urls
from pilots import public as pilots_public
from publications import public as publications_public

from . import i18n, views

urlpatterns = [
    path("", views.home, name="home"),
    # At the site root, so the phone's service worker may control /c/ and the worker's home page.
    path("sw.js", service_worker, name="service_worker"),
    path("login/", PhoneLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    # One-time activation links from the printed roster sheets (people/activation.py).
    path("activate/", include("people.urls")),
    # Before Wagtail's admin: its page chooser's parent and chosen pages, answered only within the user's scope.
    *scoped_admin_urls(),
    path("admin/", include(wagtailadmin_urls)),
    path("c/", include("checklists.mobile.urls")),
    path("api/", include("coverage.api")),
    # The phone's language switcher posts to /i18n/setlang/ (Django's set_language); the admin uses Wagtail's own.
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/<str:language>/", i18n.javascript_catalog, name="javascript_catalog"),
    # What is published, for everyone: the pilot lists as published (pilots/public.py), the batches with their
    # outcomes, the 智慧社区名单 and the approved highlights (publications/public.py).
    *pilots_public.urlpatterns,
    *publications_public.urlpatterns,
]
