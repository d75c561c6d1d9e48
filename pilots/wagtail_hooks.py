from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from communities import policy

from . import experts, reminders, selectors
from .actions import PilotAction
from .experts import LOG_ACTIONS as EXPERT_ACTIONS
from .panels import ExpertDeskPanel, PilotDuePanel
from .services.applications import LOG_ACTIONS as APPLICATION_ACTIONS
from .services.batches import LOG_ACTIONS as BATCH_ACTIONS
from .services.moves import MOVED
from .services.pool import LOG_ACTIONS as POOL_ACTIONS
from .services.reviews import LOG_ACTIONS as REVIEW_ACTIONS
from .services.visits import LOG_ACTIONS as VISIT_ACTIONS
from .urls import admin_urls


# The province's smart-city pilot programme under /admin/pilots/.
@hooks.register("register_admin_urls")
def register_pilot_urls():
    return admin_urls()


class PilotMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.may(request.user, PilotAction.VIEW_PILOTS)


@hooks.register("register_admin_menu_item")
def register_pilot_menu_item():
    return PilotMenuItem(_("省级试点"), reverse("pilots:index"), icon_name="site", order=340)


@hooks.register("construct_homepage_panels")
def add_pilot_panel(request, panels):
    # An expert's home lists their reviews first; the deadline reminders follow for everyone who sees pilots.
    if policy.may(request.user, PilotAction.SCORE_PILOT) or experts.in_pool(request.user):
        panels.append(ExpertDeskPanel(selectors.expert_reviews(request.user)))
    if policy.may(request.user, PilotAction.VIEW_PILOTS):
        due = reminders.due(selectors.visible_pilots(request.user))
        if due:
            panels.append(PilotDuePanel(due))


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for key, label in {MOVED: _("试点阶段变更"), **APPLICATION_ACTIONS, **BATCH_ACTIONS, **EXPERT_ACTIONS,
                       **REVIEW_ACTIONS, **VISIT_ACTIONS, **POOL_ACTIONS}.items():
        actions.register_action(key, label, label)
