"""What may be done in the pilot programme (rules: communities.policy).

A city applies for itself and its counties, the province decides, experts score the applications assigned to
them (`pilots.permissions` delegates VIEW_PILOTS and SCORE_PILOT to their assignments).
"""

from communities.models import Role
from communities.policy import Action, Rule, register

B = Role.BUREAU


class PilotAction(Action):
    VIEW_PILOTS = "view_pilots"  # a pilot's application, stage, reviews and history
    EDIT_APPLICATION = "edit_application"  # a city's own moves: assemble, submit, 自查, report 整改
    MANAGE_PILOTS = "manage_pilots"  # the province's moves: batches, formal review, lists, reviews, stars
    SCORE_PILOT = "score_pilot"  # expert points, adjustments and sign-off


register(PilotAction, {
    PilotAction.VIEW_PILOTS: Rule((B,), refusal="没有找到该试点，或您无权查看"),
    PilotAction.EDIT_APPLICATION: Rule((B,), local=True, refusal="只有申报市的大数据局可以办理本市的试点申报"),
    PilotAction.MANAGE_PILOTS: Rule(
        (B,), province=True, refusal="只有省大数据局或管理员可以办理试点的审查、评估和验收"),
    PilotAction.SCORE_PILOT: Rule((B,), province=True, refusal="只有省大数据局或指派的评估专家可以评分"),
})
