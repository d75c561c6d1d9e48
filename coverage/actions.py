"""What may be done with coverage figures (rules: communities.policy)."""

from django.utils.translation import gettext_lazy as _

from communities.models import Role
from communities.policy import Action, Rule, register

V, B = Role.VERIFIER, Role.BUREAU


class CoverageAction(Action):
    VIEW_COVERAGE = "view_coverage"
    EXPORT_COVERAGE = "export_coverage"
    COVERAGE_API = "coverage_api"  # the bureaus' data platforms
    SNAPSHOT = "snapshot"


register(CoverageAction, {
    CoverageAction.VIEW_COVERAGE: Rule((V, B), refusal=_("您没有查看覆盖率的权限")),
    CoverageAction.EXPORT_COVERAGE: Rule((V, B), refusal=_("您没有导出覆盖率的权限")),
    CoverageAction.COVERAGE_API: Rule((B,), refusal=_("只有大数据局用户可以查询覆盖率")),
    CoverageAction.SNAPSHOT: Rule((B,), refusal=_("只有大数据局或管理员可以生成覆盖率快照")),
})
