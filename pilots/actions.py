"""What may be done in the pilot programme (rules: communities.policy).

A city applies for itself and its counties, the province decides, experts of the province's pool score the
applications assigned to them (`pilots.permissions` delegates VIEW_PILOTS, SCORE_PILOT and SIT_ON_PANEL to the
pool and its assignments). Scoring and sitting on a panel are held *only* that way: neither a province bureau
nor an administrator scores or signs in an expert's place.
"""

from django.utils.translation import gettext_lazy as _

from communities.models import Role
from communities.policy import Action, Rule, register

B = Role.BUREAU


class PilotAction(Action):
    VIEW_PILOTS = "view_pilots"  # a pilot's application, stage, reviews and history
    EDIT_APPLICATION = "edit_application"  # a city's own moves: assemble, submit, 自查, report 整改
    MANAGE_PILOTS = "manage_pilots"  # the province's moves: batches, the pool, formal review, lists, stars
    SCORE_PILOT = "score_pilot"  # an assigned expert's own points and signature
    SIT_ON_PANEL = "sit_on_pilot_panel"  # asked of the expert: may they judge this application (pool, 回避)


register(PilotAction, {
    PilotAction.VIEW_PILOTS: Rule((B,), refusal=_("没有找到该试点，或您无权查看")),
    PilotAction.EDIT_APPLICATION: Rule((B,), local=True, refusal=_("只有申报市的大数据局可以办理本市的试点申报")),
    PilotAction.MANAGE_PILOTS: Rule(
        (B,), province=True, refusal=_("只有省大数据局或管理员可以办理试点的审查、评估和验收")),
    PilotAction.SCORE_PILOT: Rule(
        (), delegated_only=True, refusal=_("只有指派给该申报的评估专家可以评分和签字，省大数据局和管理员不代专家评分")),
    PilotAction.SIT_ON_PANEL: Rule(
        (), delegated_only=True, refusal=_("只能指派专家库中在库、且无须回避的专家")),
})
