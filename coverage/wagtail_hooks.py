from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .rollup import LOG_ACTIONS
from .views import admin_urls, may_view


# Coverage dashboard (issue 5): bars, drill-down, application sheets, exports and snapshots under /admin/coverage/.
@hooks.register("register_admin_urls")
def register_coverage_urls():
    return admin_urls()


class CoverageMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view(request.user)


@hooks.register("register_admin_menu_item")
def register_coverage_menu_item():
    return CoverageMenuItem(_("覆盖率统计"), reverse("coverage:index"), icon_name="table", order=330)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for key, label in LOG_ACTIONS.items():
        actions.register_action(key, label, label)
