"""What may be done to the register and to people's roles (rules: communities.policy)."""

from .policy import Action, Rule, register


class CommunityAction(Action):
    ASSIGN_ROLES = "assign_roles"
    EDIT_REGISTER = "edit_register"


register(CommunityAction, {
    CommunityAction.ASSIGN_ROLES: Rule((), refusal="只有管理员可以分配角色"),
    CommunityAction.EDIT_REGISTER: Rule((), refusal="只有管理员可以维护社区名册"),
})
