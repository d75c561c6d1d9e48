"""What may be done to the register and to people's roles (rules: communities.policy)."""

from .models import Role
from .policy import Action, Rule, register


class CommunityAction(Action):
    ASSIGN_ROLES = "assign_roles"
    EDIT_REGISTER = "edit_register"
    VIEW_REGION = "view_region"  # see a region named in Wagtail's page screens (chooser, bulk actions)


register(CommunityAction, {
    CommunityAction.ASSIGN_ROLES: Rule((), refusal="只有管理员可以分配角色"),
    CommunityAction.EDIT_REGISTER: Rule((), refusal="只有管理员可以维护社区名册"),
    CommunityAction.VIEW_REGION: Rule((Role.WORKER, Role.VERIFIER, Role.BUREAU), refusal="不在您的辖区内"),
})
