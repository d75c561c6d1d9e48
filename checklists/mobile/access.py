"""Who reaches a community's phone pages: anonymous users go to login and back, other communities' workers
get a clear 403 page, and JSON callers get the same answers as JSON so the page can keep its queue."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from communities import policy
from communities.models import CommunityPage
from intake.responses import json_refusal, wants_json
from standards.models import Round
from standards.rounds import open_round

from ..actions import ChecklistAction
from ..selectors.mobile import community_by_code
from ..services import CommunityRetired

NOT_YOURS = policy.refusal(ChecklistAction.VIEW_CHECKLIST)


@dataclass
class Access:
    community: CommunityPage
    round: Round | None
    can_edit: bool


def not_yours(request, community: CommunityPage):
    """Render the 403 page a worker sees after scanning another community's code."""
    mine = policy.in_scope(request.user, ChecklistAction.SAVE, CommunityPage.objects.order_by("code"))[:20]
    return render(request, "checklists/mobile/not_yours.html", {"community": community, "mine": mine}, status=403)


def retired(request, community: CommunityPage):
    """Say plainly that the community was retired by a 区划调整 (410 Gone): nothing more is saved for it, and what
    it has is kept. The phone's queue treats it as locked (the edit stays on screen with this reason)."""
    message = CommunityRetired(community).message
    if wants_json(request):
        return json_refusal(message, 410, retired=True)
    return render(request, "checklists/mobile/message.html", {"community": community, "message": message},
                  status=410)


def _resolve(request, code: str, *, edit: bool):
    """Return (Access, None) or (None, response) for the community with this code."""
    community = community_by_code(code)
    if community is None:
        raise Http404(_("没有这个社区代码"))
    if not policy.may(request.user, ChecklistAction.VIEW_CHECKLIST, community):
        if wants_json(request):
            return None, json_refusal(NOT_YOURS, 403)
        return None, not_yours(request, community)
    if community.retired_at is not None:
        return None, retired(request, community)
    can_edit = policy.may(request.user, ChecklistAction.SAVE, community)
    if edit and not can_edit:
        message = policy.refusal(ChecklistAction.SAVE)
        return None, json_refusal(message, 403) if wants_json(request) else render(
            request, "checklists/mobile/message.html", {"community": community, "message": message}, status=403
        )
    return Access(community, open_round(), can_edit), None


def community_view(edit: bool = False):
    """Decorate a view taking (request, access, ...) for /c/<code>/...; `edit` demands a worker's rights."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, code: str, *args, **kwargs):
            if not request.user.is_authenticated:
                if wants_json(request):
                    expired = _("登录已失效，请重新登录（未同步的内容保存在本机）")
                    return json_refusal(expired, 401, login=reverse("login"))
                return redirect_to_login(request.get_full_path())
            access, refusal = _resolve(request, code, edit=edit)
            return refusal or view(request, access, *args, **kwargs)

        return wrapper

    return decorate


def item_or_404(access: Access, number: int) -> dict:
    """Return the open round's definition of item `number`, or 404."""
    if access.round is None or number not in access.round.standard.item_numbers:
        raise Http404(_("没有这个指标"))
    return access.round.standard.item(number)
