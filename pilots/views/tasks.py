"""整改 tasks: the city bureau reports one done, with what was done (task_report)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors
from ..actions import PilotAction
from ..forms import TaskReportForm
from ..models import Task
from ..services import PilotError, reviews
from .base import back, pilot_url, refused


@require_POST
def task_report(request, pk: int):
    task = Task.objects.filter(pk=pk, pilot__in=selectors.visible_pilots(request.user)).select_related(
        "pilot").first()
    if task is None:
        raise Http404(_("找不到该整改任务"))
    if denied := refused(request, PilotAction.EDIT_APPLICATION, task):
        return denied
    form = TaskReportForm(request.POST)
    form.is_valid()
    try:
        reviews.task_report(user=request.user, task=task, note=form.cleaned_data.get("note", ""))
    except PilotError as exc:
        return back(request, pilot_url(task.pilot) + "#tasks", exc)
    return back(request, pilot_url(task.pilot) + "#tasks", success=_("已报告完成：%(task)s") % {"task": task.title})
