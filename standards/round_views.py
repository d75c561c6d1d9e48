"""Close (freeze) or reopen a round from the admin: a list of rounds with the buttons, and the POST behind them."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from communities import policy
from communities.policy import EVERYWHERE

from .actions import StandardAction
from .models import Round, RoundStatus
from .rounds import round_set_status


class RoundsStatusView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "standards/round_status.html"
    page_title = gettext_lazy("关闭或重新开放轮次")
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        policy.require(request.user, StandardAction.MANAGE_ROUND, EVERYWHERE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        rounds = Round.objects.select_related("standard").order_by("-opened_at")
        return {**super().get_context_data(**kwargs), "rounds": rounds}


class RoundStatusView(View):
    http_method_names = ["post"]

    def post(self, request, pk, status):
        round_ = get_object_or_404(Round, pk=pk)
        reason = request.POST.get("reason", "").strip()
        if status == RoundStatus.OPEN and not reason:
            messages.error(request, _("重新开放轮次必须填写理由"))
            return redirect("rounds:status")
        round_ = round_set_status(round_=round_, user=request.user, status=status, reason=reason)
        done = _("已关闭，数据已冻结") if status == RoundStatus.CLOSED else _("已重新开放")
        said = {"code": round_.code, "name": round_.name, "done": done}
        messages.success(request, _("轮次 %(code)s（%(name)s）%(done)s") % said)
        return redirect("rounds:status")
