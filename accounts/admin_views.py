"""登录锁定 in the Wagtail admin: current lockouts and 解锁, for administrators only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from communities import policy
from communities.policy import EVERYWHERE

from . import lockout
from .actions import AccountAction


def _only_admins(request) -> None:
    if not policy.may(request.user, AccountAction.MANAGE_LOCKOUTS, EVERYWHERE):
        raise PermissionDenied(policy.refusal(AccountAction.MANAGE_LOCKOUTS))


def lockouts(request):
    _only_admins(request)
    return TemplateResponse(request, "accounts/lockouts.html", {
        "lockouts": lockout.current_lockouts(), "minutes": lockout.cooloff_minutes(),
    })


@require_POST
def unlock(request):
    _only_admins(request)
    kind, key = request.POST.get("kind", ""), request.POST.get("key", "")
    if kind not in ("username", "ip_address") or not key:
        messages.error(request, "解锁请求无效。")
    elif lockout.unlock(kind, key, by=request.user):
        messages.success(request, f"已解锁{'账户' if kind == 'username' else '地址'} {key}。")
    else:
        messages.warning(request, f"{key} 当前没有锁定记录。")
    return redirect("accounts_lockouts")
