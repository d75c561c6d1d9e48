"""登录锁定 in the Wagtail admin: current lockouts and 解锁, for administrators only."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
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
        "slowdown_max": settings.LOGIN_SLOWDOWN_MAX_SECONDS,
    })


@require_POST
def unlock(request):
    _only_admins(request)
    kind, key, address = (request.POST.get(name, "") for name in ("kind", "key", "address"))
    kinds = (lockout.ACCOUNT_ADDRESS, lockout.ADDRESS, lockout.ACCOUNT)
    what = {lockout.ACCOUNT_ADDRESS: _("账户 %(key)s（从 %(address)s）"), lockout.ADDRESS: _("地址 %(key)s"),
            lockout.ACCOUNT: _("账户 %(key)s")}.get(kind, "") % {"key": key, "address": address}
    if kind not in kinds or not key or (kind == lockout.ACCOUNT_ADDRESS and not address):
        messages.error(request, _("解锁请求无效。"))
    elif lockout.unlock(kind, key, address=address or None, by=request.user):
        messages.success(request, _("已解锁%(what)s。") % {"what": what})
    else:
        messages.warning(request, _("%(what)s 当前没有锁定记录。") % {"what": what})
    return redirect("accounts_lockouts")
