"""District verifiers' decisions on submitted items: approve, return with a reason, reopen an approved one.
Each is one transaction, asks the policy, moves the status through checklists.workflow and is on the audit trail."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from communities.models import CommunityPage
from communities.policy import Action
from standards.models import Round

from . import audit
from .actions import ChecklistAction
from .models import ItemResult, Status
from .services import authorize, locked, refresh_verdict
from .workflow import PAST, next_status


@transaction.atomic
def _decide(result: ItemResult, user, action: Action, reason: str, via: str) -> ItemResult:
    result = locked(result)
    authorize(user, result.community, action, via)
    old_status = result.status
    result.status = next_status(action, result.status, round_open=result.round.is_open, reason=reason)
    if action == ChecklistAction.APPROVE:
        refresh_verdict(result)
    sends_back = action in (ChecklistAction.RETURN, ChecklistAction.REOPEN)
    result.return_reason = reason.strip() if sends_back else ""
    if sends_back:
        result.changed_since_return = False  # 提交全部 waits until the worker has done something about it
    result.decided_at, result.decided_by = timezone.now(), user
    result.save()
    audit.record(result, PAST[action], user=user, from_status=old_status, reason=reason.strip(), via=via)
    return result


def item_approve(*, result: ItemResult, user, via: str = "web") -> ItemResult:
    """Approve a submitted item: it now counts toward coverage if its rules hold, and is locked."""
    return _decide(result, user, ChecklistAction.APPROVE, "", via)


def item_return(
    *, result: ItemResult, user, reason: str, via: str = "web"
) -> ItemResult:
    """Return a submitted item to the worker with a reason."""
    return _decide(result, user, ChecklistAction.RETURN, reason, via)


def item_reopen(
    *, result: ItemResult, user, reason: str, via: str = "web"
) -> ItemResult:
    """Unlock an approved item for the worker again, with a reason."""
    return _decide(result, user, ChecklistAction.REOPEN, reason, via)


def items_approve_all(*, round_: Round, community: CommunityPage, user) -> list[ItemResult]:
    """Approve every submitted item of a community at once."""
    authorize(user, community, ChecklistAction.APPROVE)
    pending = ItemResult.objects.filter(round=round_, community=community, status=Status.SUBMITTED)
    return [item_approve(result=r, user=user) for r in pending]
