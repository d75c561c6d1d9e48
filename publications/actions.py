"""What may be done with what the public sees (rules: communities.policy).

The province publishes: the 通报 of a withdrawn subsidy, the 智慧社区名单, and approves highlight reports. A city's
or county's bureau writes its own highlight reports (not the province's bureau: it judges them, as it judges an
application, and does not author them).
"""

from django.utils.translation import gettext_lazy as _

from communities.models import Role
from communities.policy import Action, Rule, register

B = Role.BUREAU


class PublicationAction(Action):
    PUBLISH_NOTICE = "publish_notice"  # the 收回奖补 通报 of a pilot, in the province's public words
    PUBLISH_SMART_LIST = "publish_smart_list"  # a round's 智慧社区名单, frozen once published
    WRITE_HIGHLIGHT = "write_highlight"  # a 亮点工作 report under the bureau's own region (never published by it)
    APPROVE_HIGHLIGHT = "approve_highlight"  # approve (publish) or send back a 亮点工作 report


register(PublicationAction, {
    PublicationAction.PUBLISH_NOTICE: Rule(
        (B,), province=True, refusal=_("只有省大数据局或管理员可以发布通报")),
    PublicationAction.PUBLISH_SMART_LIST: Rule(
        (B,), province=True, refusal=_("只有省大数据局或管理员可以公布智慧社区名单")),
    PublicationAction.WRITE_HIGHLIGHT: Rule(
        (B,), local=True, refusal=_("只有本市或本县（市、区）的大数据局可以撰写本地的亮点工作")),
    PublicationAction.APPROVE_HIGHLIGHT: Rule(
        (B,), province=True, refusal=_("只有省大数据局或管理员可以审核亮点工作")),
})
