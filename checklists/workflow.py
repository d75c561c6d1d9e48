"""Item result states and the only transitions allowed between them, in one table."""

from __future__ import annotations

from communities.policy import Action

from .models import Status

# What each action is called on the audit trail (interfaces.md, "Audit trail").
PAST: dict[Action, str] = {
    Action.SAVE: "saved",
    Action.SUBMIT: "submitted",
    Action.WITHDRAW: "withdrawn",
    Action.APPROVE: "approved",
    Action.RETURN: "returned",
    Action.REOPEN: "reopened",
}


# (action, current status) -> new status. Anything not listed is forbidden.
TRANSITIONS: dict[tuple[Action, str], str] = {
    (Action.SAVE, Status.DRAFT): Status.DRAFT,
    # A worker may still correct an item waiting for review; it goes back to draft until resubmitted.
    (Action.SAVE, Status.SUBMITTED): Status.DRAFT,
    # A returned item stays returned while being fixed, so its reason stays at the top of the checklist.
    (Action.SAVE, Status.RETURNED): Status.RETURNED,
    (Action.SUBMIT, Status.DRAFT): Status.SUBMITTED,
    (Action.SUBMIT, Status.RETURNED): Status.SUBMITTED,
    (Action.APPROVE, Status.SUBMITTED): Status.APPROVED,
    (Action.RETURN, Status.SUBMITTED): Status.RETURNED,
    (Action.REOPEN, Status.APPROVED): Status.RETURNED,
}

NEEDS_REASON = {Action.RETURN, Action.REOPEN}

MESSAGES = {
    (Action.SAVE, Status.APPROVED): "该指标已审核通过并锁定，如需修改请联系区县审核人员重新打开",
    (Action.SUBMIT, Status.SUBMITTED): "该指标已提交，正在等待审核",
    (Action.SUBMIT, Status.APPROVED): "该指标已审核通过",
    (Action.APPROVE, Status.APPROVED): "该指标已审核通过",
}


class TransitionError(Exception):
    """A state change that the workflow does not allow; the message is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def next_status(action: Action, status: str, *, round_open: bool = True, reason: str = "") -> str:
    """Return the status after `action`, or raise TransitionError with a Chinese explanation."""
    if not round_open:
        raise TransitionError("本轮核查已关闭，不能再修改或审核")
    if action in NEEDS_REASON and not reason.strip():
        raise TransitionError("请填写理由")
    try:
        return TRANSITIONS[(action, status)]
    except KeyError:
        label = Status(status).label
        raise TransitionError(MESSAGES.get((action, status), f"当前状态为“{label}”，不能执行此操作")) from None


def possible_actions(status: str, *, round_open: bool = True) -> list[Action]:
    """Return the actions the workflow allows on an item in `status` (who may take them is the policy's call)."""
    if not round_open:
        return []
    return [action for (action, current) in TRANSITIONS if current == status]
