"""Item result states and the only transitions allowed between them, in one table."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from communities.policy import Action

from .actions import ChecklistAction
from .models import Status

# What each action is called on the audit trail (interfaces.md, "Audit trail").
PAST: dict[Action, str] = {
    ChecklistAction.SAVE: "saved",
    ChecklistAction.SUBMIT: "submitted",
    ChecklistAction.WITHDRAW: "withdrawn",
    ChecklistAction.APPROVE: "approved",
    ChecklistAction.RETURN: "returned",
    ChecklistAction.REOPEN: "reopened",
}


# (action, current status) -> new status. Anything not listed is forbidden. Saving never changes the status:
# a submitted item is read-only until the worker withdraws it, so it never leaves the verifier's queue unseen.
TRANSITIONS: dict[tuple[Action, str], str] = {
    (ChecklistAction.SAVE, Status.DRAFT): Status.DRAFT,
    # A returned item stays returned while being fixed, so its reason stays at the top of the checklist.
    (ChecklistAction.SAVE, Status.RETURNED): Status.RETURNED,
    (ChecklistAction.SUBMIT, Status.DRAFT): Status.SUBMITTED,
    (ChecklistAction.SUBMIT, Status.RETURNED): Status.SUBMITTED,
    (ChecklistAction.WITHDRAW, Status.SUBMITTED): Status.DRAFT,
    (ChecklistAction.APPROVE, Status.SUBMITTED): Status.APPROVED,
    (ChecklistAction.RETURN, Status.SUBMITTED): Status.RETURNED,
    (ChecklistAction.REOPEN, Status.APPROVED): Status.RETURNED,
}
# Where an item goes instead when the verifier's return still stands (it was returned or reopened, then
# resubmitted, and nobody has decided since): withdrawing it puts it back to 被退回 with its reason, so the
# reason stays in front of the worker and 提交全部 still waits for a change.
AFTER_RETURN: dict[tuple[Action, str], str] = {
    (ChecklistAction.WITHDRAW, Status.SUBMITTED): Status.RETURNED,
}

NEEDS_REASON = {ChecklistAction.RETURN, ChecklistAction.REOPEN}

# Lazy: each reads in the language of the person who gets the refusal.
ROUND_CLOSED = _("本轮核查已关闭，不能再修改或审核")
LOCKED = _("该指标已审核通过并锁定，如需修改请联系区县审核人员重新打开")
MESSAGES = {
    (ChecklistAction.SAVE, Status.SUBMITTED): _("该指标已提交审核，不能直接修改；如需修改，请先点“撤回修改”"),
    (ChecklistAction.SAVE, Status.APPROVED): LOCKED,
    (ChecklistAction.WITHDRAW, Status.DRAFT): _("该指标尚未提交，无需撤回"),
    (ChecklistAction.WITHDRAW, Status.RETURNED): _("该指标已被退回，可以直接修改"),
    (ChecklistAction.WITHDRAW, Status.APPROVED): LOCKED,
    (ChecklistAction.SUBMIT, Status.SUBMITTED): _("该指标已提交，正在等待审核"),
    (ChecklistAction.SUBMIT, Status.APPROVED): _("该指标已审核通过"),
    (ChecklistAction.APPROVE, Status.APPROVED): _("该指标已审核通过"),
}


class TransitionError(Exception):
    """A state change that the workflow does not allow; the message is for the user."""

    def __init__(self, message: str):
        message = str(message)  # a lazy text, read now in the active language
        super().__init__(message)
        self.message = message


def next_status(
    action: Action, status: str, *, round_open: bool = True, reason: str = "", return_stands: bool = False
) -> str:
    """Return the status after `action`, or raise TransitionError with an explanation for the user.

    `return_stands`: the item carries a verifier's return that nobody has decided on since (see AFTER_RETURN).
    """
    if not round_open:
        raise TransitionError(ROUND_CLOSED)
    if action in NEEDS_REASON and not reason.strip():
        raise TransitionError(_("请填写理由"))
    if return_stands and (action, status) in AFTER_RETURN:
        return AFTER_RETURN[(action, status)]
    try:
        return TRANSITIONS[(action, status)]
    except KeyError:
        label = Status(status).label
        refusal = MESSAGES.get((action, status)) or _("当前状态为“%(status)s”，不能执行此操作") % {"status": label}
        raise TransitionError(refusal) from None


def possible_actions(status: str, *, round_open: bool = True) -> list[Action]:
    """Return the actions the workflow allows on an item in `status` (who may take them is the policy's call)."""
    if not round_open:
        return []
    return [action for (action, current) in TRANSITIONS if current == status]
