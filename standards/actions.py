"""What may be done to standards and rounds (rules: communities.policy)."""

from django.utils.translation import gettext_lazy as _

from communities.models import Role
from communities.policy import Action, Rule, register

V, B = Role.VERIFIER, Role.BUREAU


class StandardAction(Action):
    VIEW_ROUNDS = "view_rounds"
    MANAGE_ROUND = "manage_round"  # create, edit, open, close, reopen
    EDIT_STANDARD = "edit_standard"


register(StandardAction, {
    StandardAction.VIEW_ROUNDS: Rule((V, B)),
    StandardAction.MANAGE_ROUND: Rule(
        (B,), refusal=_("只有管理员或省级大数据局可以新建、修改、关闭或重新开放全省轮次")),
    StandardAction.EDIT_STANDARD: Rule((), refusal=_("只有管理员可以修订标准")),
})
