"""Frozen coverage figures: what a city or county puts in its application never drifts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from standards.models import Round


class CoverageSnapshot(models.Model):
    """A round's coverage figures frozen at a moment, so an application's numbers never drift."""

    round = models.ForeignKey(Round, verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="snapshots")
    data = models.JSONField(_("覆盖率数据"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        db_table = "checklists_coveragesnapshot"  # kept from before the app was split out (issue 9)
        verbose_name = _("覆盖率快照")
        verbose_name_plural = _("覆盖率快照")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.round} · {self.created_at:%Y-%m-%d %H:%M}"
