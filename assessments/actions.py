"""What may be done to a city's or county's self-assessment (rules: communities.policy).

Self-assessment is the bureaus' work: a city's bureau for the city and its counties, a county's for its own.
"""

from django.utils.translation import gettext_lazy as _

from communities.models import Role
from communities.policy import Action, Rule, register

B = Role.BUREAU


class AssessmentAction(Action):
    VIEW_ASSESSMENT = "view_assessment"  # a city's or county's self-assessment (自评) against 附件1/附件2
    EDIT_ASSESSMENT = "edit_assessment"  # enter indicator values, evidence files, departments, snapshots
    OVERRIDE_INDICATOR = "override_indicator"  # enter a figure over one computed from the communities
    EXPORT_ASSESSMENT = "export_assessment"
    ASSESSMENT_OVERVIEW = "assessment_overview"  # every city and county of the province (checked EVERYWHERE)


register(AssessmentAction, {
    AssessmentAction.VIEW_ASSESSMENT: Rule((B,), refusal=_("没有找到该自评，或您无权查看")),
    AssessmentAction.EDIT_ASSESSMENT: Rule((B,), refusal=_("只有本市或本县（市、区）的大数据局可以填报自评")),
    AssessmentAction.OVERRIDE_INDICATOR: Rule(
        (B,), refusal=_("只有本市或本县（市、区）的大数据局可以用自有数据替代社区汇总值")),
    AssessmentAction.EXPORT_ASSESSMENT: Rule((B,), refusal=_("您没有导出该自评的权限")),
    AssessmentAction.ASSESSMENT_OVERVIEW: Rule((B,), refusal=_("只有省级大数据局或管理员可以查看全省自评总览")),
})
