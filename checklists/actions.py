"""What may be done to a community's checklist, its evidence and its review (rules: communities.policy)."""

from django.utils.translation import gettext_lazy as _

from communities.models import Role
from communities.policy import Action, Rule, register

W, V, B = Role.WORKER, Role.VERIFIER, Role.BUREAU


class ChecklistAction(Action):
    VIEW_CHECKLIST = "view_checklist"  # open a community's phone checklist
    SAVE = "save"  # answers and photos
    SUBMIT = "submit"
    WITHDRAW = "withdraw"  # take a submitted item back to correct it
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    REVIEW = "review"  # see the review queue and an item's review page
    VIEW_EVIDENCE = "view_evidence"
    VIEW_SENSITIVE_EVIDENCE = "view_sensitive_evidence"  # item 24 (特殊人群)
    PRINT_QR = "print_qr"
    VIEW_AUDIT = "view_audit"  # the history of the communities one works with
    IMPORT_RESULTS = "import_results"  # results collected on paper, replayed through the services
    REBUILD_PHOTOS = "rebuild_photos"


register(ChecklistAction, {
    ChecklistAction.VIEW_CHECKLIST: Rule((W, V), refusal=_("不是您负责的社区")),
    ChecklistAction.SAVE: Rule((W,), refusal=_("您只能查看该社区的填报，不能修改")),
    ChecklistAction.SUBMIT: Rule((W,), refusal=_("只有本社区的工作人员可以提交")),
    ChecklistAction.WITHDRAW: Rule((W,), refusal=_("只有本社区的工作人员可以撤回")),
    ChecklistAction.APPROVE: Rule((V,), refusal=_("只有本区县的审核人员可以审核")),
    ChecklistAction.RETURN: Rule((V,), refusal=_("只有本区县的审核人员可以退回")),
    ChecklistAction.REOPEN: Rule((V,), refusal=_("只有本区县的审核人员可以重新打开")),
    ChecklistAction.REVIEW: Rule((V, B), refusal=_("没有找到该指标，或您无权查看")),
    ChecklistAction.VIEW_EVIDENCE: Rule((W, V)),
    ChecklistAction.VIEW_SENSITIVE_EVIDENCE: Rule((W, V), admins=False),
    ChecklistAction.PRINT_QR: Rule((W, V, B)),
    ChecklistAction.VIEW_AUDIT: Rule((W, V, B)),
    ChecklistAction.IMPORT_RESULTS: Rule((V,), refusal=_("导入人必须是这些社区所在区县的审核人员或管理员")),
    ChecklistAction.REBUILD_PHOTOS: Rule((), refusal=_("只有管理员可以重建照片")),
})
