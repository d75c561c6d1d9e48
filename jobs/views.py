"""我的任务 in the Wagtail admin: the user's background jobs with progress, downloads and a 重试 button."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from smartsite.private_files import private_file_response

from .forms import JobForm
from .models import Job, JobStatus
from .services import JobError, enqueue_job, job_retry, jobs_for, may_retry

LISTED = 50


def job_json(job: Job) -> dict:
    """Return what the listing shows of a job, for its polling script."""
    return {
        "id": job.pk, "status": job.status, "status_label": job.get_status_display(), "progress": job.progress,
        "message": job.message_text, "error": job.error, "finished": job.finished,
        "download": reverse("jobs:download", args=[job.pk]) if job.status == JobStatus.DONE else "",
        "retry": may_retry(job),
    }


class JobsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "jobs/jobs.html"
    page_title = gettext_lazy("我的任务")
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        jobs = list(jobs_for(self.request.user)[:LISTED])
        return {
            **super().get_context_data(**kwargs),
            "jobs": [(job, job_json(job)) for job in jobs],
            "active": any(not job.finished for job in jobs),
            "form": kwargs.get("form") or JobForm(),
        }

    def post(self, request):
        form = JobForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            job, created = enqueue_job(kind=form.cleaned_data["kind"], params=form.params(), user=request.user,
                                       key=form.key_for(request.user))
        except (JobError, PermissionDenied) as exc:
            messages.error(request, getattr(exc, "message", None) or str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, (_("已提交：%(job)s") if created else _("该任务已提交过：%(job)s")) % {"job": job})
        return redirect("jobs:index")


def _own_job(request, pk: int) -> Job:
    return get_object_or_404(jobs_for(request.user), pk=pk)


@require_GET
def job_status(request, pk: int):
    """Return one job's progress as JSON (the listing polls this while a job runs)."""
    return JsonResponse(job_json(_own_job(request, pk)), json_dumps_params={"ensure_ascii": False})


@require_POST
def job_retry_view(request, pk: int):
    """Queue a failed or stalled job again."""
    try:
        job = job_retry(job=_own_job(request, pk), user=request.user)
        messages.success(request, _("已重新提交：%(job)s") % {"job": job})
    except (JobError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    return redirect("jobs:index")


@require_GET
def job_download(request, pk: int):
    """Send a finished job's file to the user who asked for it (results are private, like evidence)."""
    job = _own_job(request, pk)
    if job.status != JobStatus.DONE or not job.result:
        raise Http404(_("任务尚未完成"))
    return private_file_response(job.result, filename=job.result_name, download=True)
