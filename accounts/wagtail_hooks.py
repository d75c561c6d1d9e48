from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from communities import policy
from communities.policy import EVERYWHERE

from . import admin_views, audit
from .actions import AccountAction


@hooks.register("register_log_actions")
def register_log_actions(actions):
    audit.register_actions(actions)


@hooks.register("register_admin_urls")
def register_lockout_urls():
    return [
        path("lockouts/", admin_views.lockouts, name="accounts_lockouts"),
        path("lockouts/unlock/", admin_views.unlock, name="accounts_unlock"),
    ]


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.may(request.user, AccountAction.MANAGE_LOCKOUTS, EVERYWHERE)


@hooks.register("register_admin_menu_item")
def register_lockout_menu_item():
    return AdministratorMenuItem(_("登录锁定"), reverse("accounts_lockouts"), icon_name="lock", order=920)


@hooks.register("insert_global_admin_js")
def csp_widget_starter():
    # A file, not inline code: the admin's Content-Security-Policy allows scripts from this site only.
    return format_html('<script src="{}"></script>', static("accounts/admin-csp.js"))
