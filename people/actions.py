"""What may be done to people on the roster (rules: communities.policy).

Importing a row asks `communities.actions.CommunityAction.ASSIGN_ROLES` of the row's region (the roles service
asks the same); these are the roster's own actions besides it.
"""

from django.utils.translation import gettext_lazy as _

from communities.models import Role
from communities.policy import Action, Rule, register


class PeopleAction(Action):
    # Print activation sheets (new one-time links, older ones void) for the people of a region.
    ISSUE_ACTIVATION = "issue_activation"
    # Add people in roles held over no region (评估专家) through the roster: the province's pool.
    ROSTER_EXPERTS = "roster_experts"


register(PeopleAction, {
    PeopleAction.ISSUE_ACTIVATION: Rule(
        (Role.BUREAU,), refusal=_("只有本辖区的大数据局或管理员可以打印激活单")),
    PeopleAction.ROSTER_EXPERTS: Rule(
        (Role.BUREAU,), province=True, refusal=_("只有省大数据局或管理员可以导入评估专家")),
})
