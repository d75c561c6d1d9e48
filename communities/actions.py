"""What may be done to the register and to people's roles (rules: communities.policy)."""

from django.utils.translation import gettext_lazy as _

from .models import Role
from .policy import Action, Rule, register


class CommunityAction(Action):
    # Give or take a role over a region (asked of that region by communities.roles): a bureau within its own
    # scope (the 人员名册导入 screen), administrators anywhere.
    ASSIGN_ROLES = "assign_roles"
    # The province-wide 角色分配 table (every assignment, raw forms): administrators only.
    MANAGE_ASSIGNMENTS = "manage_assignments"
    EDIT_REGISTER = "edit_register"
    # Which 市辖区 count toward the city (主城区) is the city's own decision: its bureau's, not the province's
    # (`local`), nor a county's bureau's (their assignment does not contain the city page the action is asked of).
    CONFIRM_MAIN_URBAN = "confirm_main_urban"
    VIEW_REGION = "view_region"  # see a region named in Wagtail's page screens (chooser, bulk actions)


register(CommunityAction, {
    CommunityAction.ASSIGN_ROLES: Rule(
        (Role.BUREAU,), refusal=_("只能为本辖区分配角色：大数据局限于本辖区，管理员不限")),
    CommunityAction.MANAGE_ASSIGNMENTS: Rule((), refusal=_("只有管理员可以查看和编辑全省的角色分配")),
    CommunityAction.EDIT_REGISTER: Rule((), refusal=_("只有管理员可以维护社区名册")),
    CommunityAction.CONFIRM_MAIN_URBAN: Rule((Role.BUREAU,), local=True,
                                             refusal=_("只有本市大数据局或管理员可以确认主城区")),
    CommunityAction.VIEW_REGION: Rule((Role.WORKER, Role.VERIFIER, Role.BUREAU), refusal=_("不在您的辖区内")),
})
