from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from communities import policy
from communities.policy import EVERYWHERE

from .actions import StandardAction
from .rounds import LOG_ACTIONS as ROUND_ACTIONS
from .versions import LOG_ACTIONS as VERSION_ACTIONS
from .viewsets import RoundViewSet, StandardVersionViewSet


@hooks.register("register_admin_viewset")
def register_standard_viewset():
    return StandardVersionViewSet("standards")


@hooks.register("register_admin_viewset")
def register_round_viewset():
    return RoundViewSet("rounds")


class RoundStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.may(request.user, StandardAction.MANAGE_ROUND, EVERYWHERE)


@hooks.register("register_admin_menu_item")
def register_round_status_menu_item():
    return RoundStatusMenuItem(_("关闭/开放轮次"), reverse("rounds:status"), icon_name="lock", order=320)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for key, label in {**ROUND_ACTIONS, **VERSION_ACTIONS}.items():
        actions.register_action(key, label, label)
