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
