from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from communities import policy

from .actions import AssessmentAction
from .departments import LOG_ACTIONS as DEPARTMENT_ACTIONS
from .services import LOG_ACTIONS
from .urls import admin_urls


# City and county self-assessment (issue 12) under /admin/assessments/.
@hooks.register("register_admin_urls")
def register_assessment_urls():
    return admin_urls()


class AssessmentMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.may(request.user, AssessmentAction.VIEW_ASSESSMENT)


@hooks.register("register_admin_menu_item")
def register_assessment_menu_item():
    return AssessmentMenuItem(_("城市与区县自评"), reverse("assessments:index"), icon_name="doc-full", order=335)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for key, label in {**LOG_ACTIONS, **DEPARTMENT_ACTIONS}.items():
        actions.register_action(key, label, label)
