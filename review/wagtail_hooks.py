from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .panels import ReviewHomePanel
from .viewsets import ReviewViewSet


# District review (issue 4): the queue, decisions and the dashboard panel.
@hooks.register("register_admin_viewset")
def register_review_viewset():
    return ReviewViewSet("review")


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    panels.insert(0, ReviewHomePanel())


# The queue's status badges and tabs, and the item page's layout (a static file: the CSP allows no inline styles).
@hooks.register("insert_global_admin_css")
def review_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("review/review.css"))
