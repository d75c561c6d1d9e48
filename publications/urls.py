"""The 公开信息 screens under /admin/publications/ (registered by wagtail_hooks)."""

from django.urls import include, path

from .views import highlights, home, notices, smartlists

urls = [
    path("", home.HomeView.as_view(), name="home"),
    path("notices/<int:pk>/", notices.NoticeView.as_view(), name="notice"),
    path("smart-lists/<int:pk>/", smartlists.SmartListView.as_view(), name="smart_list"),
    path("highlights/new/", highlights.highlight_new, name="highlight_new"),
    path("highlights/<int:pk>/photos/", highlights.PhotosView.as_view(), name="photos"),
    path("highlights/photos/<int:pk>/remove/", highlights.photo_remove, name="photo_remove"),
]


def admin_urls() -> list:
    return [path("publications/", include((urls, "publications"), namespace="publications"))]
