from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from communities import policy
from communities.actions import CommunityAction

from . import activation, admin_views, roster, sheets


@hooks.register("register_admin_urls")
def register_roster_urls():
    return [
        path("people/import/", admin_views.import_page, name="people_roster"),
        path("people/sheets/", admin_views.print_sheet, name="people_sheet"),
    ]


class RosterMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.may(request.user, CommunityAction.ASSIGN_ROLES)


@hooks.register("register_admin_menu_item")
def register_roster_menu_item():
    return RosterMenuItem(_("人员名册导入"), reverse("people_roster"), icon_name="group", order=905)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for key, label in {roster.IMPORTED: _("导入人员名册"), sheets.ISSUED: _("打印激活单"),
                       activation.ACTIVATED: _("激活账号")}.items():
        actions.register_action(key, label, label)
