from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


# District review (issue 4): the queue, decisions, round closing, and the dashboard panel.
@hooks.register("register_admin_viewset")
def register_review_viewset():
    return views.ReviewViewSet("review")


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    panels.insert(0, views.ReviewHomePanel())


class RoundsMenuItem(MenuItem):
    def is_shown(self, request):
        return views.may_manage_rounds(request.user)


@hooks.register("register_admin_menu_item")
def register_rounds_menu_item():
    return RoundsMenuItem("关闭/开放轮次", reverse("review:rounds"), icon_name="lock", order=320)
