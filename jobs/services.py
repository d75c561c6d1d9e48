"""Background jobs: enqueue idempotently on commit, run with visible progress, fail visibly, retry by hand.

django-tasks' database backend (django_tasks_db; `manage.py db_worker` runs it) has no automatic retry, so
every outcome lands on the Job row the user sees in 我的任务, and a failed or stalled job has a 重试 button.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from communities import policy
from communities.policy import EVERYWHERE

from .actions import JobAction
from .models import Job, JobKind, JobStatus

logger = logging.getLogger(__name__)
# A queued job whose task never started, or a running one silent this long, was lost with its worker.
STALLED_AFTER = timedelta(minutes=30)
# The fixed progress messages are stored as their Chinese msgid and shown translated (Job.message_text).
WAITING = gettext_noop("等待后台处理")

Progress = Callable[[int, str], None]


class JobError(Exception):
    """A job cannot run as asked; `message` is plain Chinese for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def default_key(kind: str, params: dict, user) -> str:
    """Return a key for an identical request by the same user (a double click), when the caller gave none."""
    canonical = json.dumps([kind, params, getattr(user, "pk", None)], sort_keys=True, ensure_ascii=False)
    return f"{kind}:{hashlib.sha256(canonical.encode()).hexdigest()[:40]}"


def _dispatch(job_id: int) -> None:
    from .tasks import run_job_task

    result = run_job_task.enqueue(job_id)
    Job.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def enqueue_job(*, kind: str, params: dict, user, key: str = "") -> tuple[Job, bool]:
    """Record a job and enqueue its task once the transaction commits; the same key returns the same job.

    Return (job, created). Raises PermissionDenied or JobError (Chinese message) for a request not allowed.
    """
    from .kinds import KINDS

    if kind not in KINDS:
        raise JobError(_("未知的任务类型：%(kind)s") % {"kind": kind})
    key = key or default_key(kind, params, user)
    existing = Job.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _same_request(existing, kind, user), False
    KINDS[kind].check(user, params)
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, params=params, created_by=user, idempotency_key=key,
                                     message=WAITING)
            transaction.on_commit(lambda: _dispatch(job.pk))
    except IntegrityError:  # the same key committed by a concurrent request a moment ago
        return _same_request(Job.objects.get(idempotency_key=key), kind, user), False
    return job, True


def _same_request(job: Job, kind: str, user) -> Job:
    if job.kind != kind or job.created_by_id != getattr(user, "pk", None):
        raise JobError(_("请求编号已被其他任务使用，请刷新页面后重试"))
    return job


def may_retry(job: Job) -> bool:
    """Whether the job may be run again: it failed, or it stalled because its worker went away."""
    if job.status == JobStatus.FAILED:
        return True
    stalled = job.updated_at and timezone.now() - job.updated_at > STALLED_AFTER
    return job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and bool(stalled)


def job_retry(*, job: Job, user) -> Job:
    """Queue a failed (or stalled) job again on the same row."""
    from .kinds import KINDS

    if not may_see(user, job):
        raise PermissionDenied(policy.refusal(JobAction.MANAGE_JOBS))
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if not may_retry(job):
            raise JobError(_("只有失败或长时间无响应的任务可以重试"))
        KINDS[job.kind].check(user, job.params)
        job.status, job.progress, job.error, job.message, job.task_id = JobStatus.QUEUED, 0, "", WAITING, ""
        job.save()
        transaction.on_commit(lambda: _dispatch(job.pk))
    return job


def _claim(job_id: int) -> Job | None:
    """Mark the job running, unless another delivery of the same task got there first."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return None
        job.status, job.attempts, job.progress = JobStatus.RUNNING, job.attempts + 1, 0
        job.message = gettext_noop("开始处理")
        job.started_at, job.finished_at = timezone.now(), None
        job.save()
    return job


def _reporter(job: Job) -> Progress:
    def report(percent: int, message: str) -> None:
        Job.objects.filter(pk=job.pk).update(
            progress=max(0, min(99, int(percent))), message=message[:200], updated_at=timezone.now()
        )

    return report


def run_job(job_id: int) -> str:
    """Run a queued job to the end, recording its file or its error; return the final status."""
    from .kinds import KINDS

    job = _claim(job_id)
    if job is None:
        return "skipped"
    try:
        filename, content = KINDS[job.kind].run(job, _reporter(job))
        job.result.save(filename, ContentFile(content), save=False)
    except Exception as exc:
        message = exc.message if isinstance(exc, JobError) else f"{type(exc).__name__}: {exc}"
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=f"任务失败：{message}"[:5000], message=gettext_noop("失败，可重试"),
            finished_at=timezone.now(), updated_at=timezone.now(),
        )
        raise
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, progress=100, message=gettext_noop("已完成"), result=job.result.name,
        result_name=filename,
        finished_at=timezone.now(), updated_at=timezone.now(),
    )
    return JobStatus.DONE


def may_see(user, job: Job) -> bool:
    """Whether the user may see, download and retry the job: their own, or anyone's with MANAGE_JOBS."""
    return job.created_by_id == user.pk or policy.may(user, JobAction.MANAGE_JOBS, EVERYWHERE)


def jobs_for(user):
    """Return the jobs the user may see, newest first: their own (administrators: everyone's)."""
    jobs = Job.objects.select_related("created_by")
    return jobs if policy.may(user, JobAction.MANAGE_JOBS, EVERYWHERE) else jobs.filter(created_by=user)


__all__ = ["JobError", "JobKind", "enqueue_job", "job_retry", "may_retry", "run_job", "jobs_for", "may_see"]
