from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_review, audit
from .admin_standard import RoundViewSet, StandardVersionViewSet


@hooks.register("register_log_actions")
def register_log_actions(actions):
    audit.register_actions(actions)


@hooks.register("register_admin_viewset")
def register_standard_viewset():
    return StandardVersionViewSet("standards")


@hooks.register("register_admin_viewset")
def register_round_viewset():
    return RoundViewSet("rounds")


# District review (issue 4): the queue, decisions, round closing, and the dashboard panel.
@hooks.register("register_admin_viewset")
def register_review_viewset():
    return admin_review.ReviewViewSet("review")


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    panels.insert(0, admin_review.ReviewHomePanel())


class RoundsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_review.may_manage_rounds(request.user)


@hooks.register("register_admin_menu_item")
def register_rounds_menu_item():
    return RoundsMenuItem("关闭/开放轮次", reverse("review:rounds"), icon_name="lock", order=320)


# Coverage dashboard (issue 5): bars, drill-down, application sheets, exports and snapshots under /admin/coverage/.
@hooks.register("register_admin_urls")
def register_coverage_urls():
    from .admin_coverage import admin_urls

    return admin_urls()


class CoverageMenuItem(MenuItem):
    def is_shown(self, request):
        from .admin_coverage import may_view

        return may_view(request.user)


@hooks.register("register_admin_menu_item")
def register_coverage_menu_item():
    return CoverageMenuItem("覆盖率统计", reverse("coverage:index"), icon_name="table", order=330)
