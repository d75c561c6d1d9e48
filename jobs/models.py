"""Background jobs as users see them: what was asked, how far it got, its file or its error."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    COVERAGE_EXPORT = "coverage_export", _("覆盖率导出")
    QR_SHEETS = "qr_sheets", _("二维码张贴单批量生成")
    PHOTO_RENDITIONS = "photo_renditions", _("照片展示图与缩略图重建")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


def job_result_path(instance: "Job", filename: str) -> str:
    """Keep results under a random directory: private like evidence, never guessable."""
    return f"jobs/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}/{filename}"


class Job(models.Model):
    """One background job (a django-tasks task does the work; this row is its user-facing record).

    The idempotency key makes a double-clicked or retried request return the same job; a failed job is
    retried on the same row (`attempts` counts the runs), since the task backend never retries by itself.
    """

    kind = models.CharField(_("任务类型"), max_length=32, choices=JobKind.choices)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    message = models.CharField(_("进度说明"), max_length=200, blank=True)
    result = models.FileField(_("结果文件"), upload_to=job_result_path, max_length=255, blank=True)
    result_name = models.CharField(_("结果文件名"), max_length=200, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)
    task_id = models.CharField(_("后台任务编号"), max_length=64, blank=True)
    idempotency_key = models.CharField(_("幂等键"), max_length=100, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最后更新"), auto_now=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        db_table = "ops_job"  # kept from when jobs lived in the ops app (issue 9)
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="job_owner_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def message_text(self) -> str:
        """The progress message in the reader's language: the fixed ones are stored as their Chinese msgid
        (services marks them), the worker's counts stay as it wrote them."""
        return gettext(self.message) if self.message else ""

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
