"""City and county self-assessments (自评) against SD-ZHCS-2019: the round's pinned version, entered values,
departments, evidence files and frozen snapshots."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from communities.policy import EVERYWHERE
from standards.models import Round, StandardVersion

SCORING_CODE = "SD-ZHCS-2019"


class Level(models.TextChoices):
    CITY = "city", _("设区市（附件1）")
    COUNTY = "county", _("县（市、区）（附件2）")


class ScoringPin(models.Model):
    """The SD-ZHCS version every assessment of a round is scored against; fixed by the round's first write."""

    round = models.OneToOneField(Round, verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="scoring_pin")
    standard = models.ForeignKey(StandardVersion, verbose_name=_("评分标准版本"), on_delete=models.PROTECT,
                                 related_name="+")
    pinned_at = models.DateTimeField(_("绑定时间"), auto_now_add=True)
    pinned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("绑定人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("自评评分标准绑定")
        verbose_name_plural = _("自评评分标准绑定")

    def __str__(self) -> str:
        return f"{self.round} · {self.standard}"

    policy_region = EVERYWHERE


class Assessment(models.Model):
    """One city's (level city, its main urban area) or county-level unit's (level county) self-assessment."""

    round = models.ForeignKey(Round, verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="assessments")
    level = models.CharField(_("级别"), max_length=8, choices=Level.choices)
    # The CityPage (level city) or the UnitPage of a county kind (level county); a Page so one path scopes both.
    region = models.ForeignKey(Page, verbose_name=_("评价对象"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("开始人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("自评")
        verbose_name_plural = _("自评")
        ordering = ["round_id", "level", "region_id"]
        constraints = [models.UniqueConstraint(fields=["round", "region"], name="unique_assessment")]

    def __str__(self) -> str:
        return f"{self.region.title} · {self.round} 自评"

    @property
    def policy_region(self) -> Page:
        return self.region


class IndicatorValue(models.Model):
    """What a bureau reported for one indicator, exactly as typed (decimals as strings)."""

    assessment = models.ForeignKey(Assessment, verbose_name=_("自评"), on_delete=models.CASCADE,
                                   related_name="entered")
    number = models.PositiveSmallIntegerField(_("指标编号"))
    values = models.JSONField(_("填报值"), default=dict)
    note = models.TextField(_("说明或理由"), blank=True)
    department = models.CharField(_("填报部门"), max_length=100, blank=True)
    via = models.CharField(_("来源"), max_length=16, default="web")
    updated_at = models.DateTimeField(_("填报时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("指标填报值")
        verbose_name_plural = _("指标填报值")
        ordering = ["assessment_id", "number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "number"], name="unique_indicator_value")]

    def __str__(self) -> str:
        return f"{self.assessment} · 第{self.number}项"

    @property
    def policy_region(self) -> Page:
        return self.assessment.region


class Department(models.Model):
    """A department of a city or county (公安局, 卫健委 …) and the indicators it reports through a template."""

    region = models.ForeignKey(Page, verbose_name=_("所属市或县（市、区）"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("部门名称"), max_length=100)
    indicators = models.JSONField(_("负责的指标编号"), default=list)

    class Meta:
        verbose_name = _("填报部门")
        verbose_name_plural = _("填报部门")
        ordering = ["region_id", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unique_department")]

    def __str__(self) -> str:
        return self.name

    @property
    def policy_region(self) -> Page:
        return self.region


def evidence_file_path(instance: "EvidenceFile", filename: str) -> str:
    """Store files by round and assessment under a random directory that cannot be guessed."""
    assessment = instance.assessment
    return f"assessments/{assessment.round.code}/{assessment.pk}/{uuid.uuid4().hex}/{filename}"


class CheckedFile(models.Model):
    """A file checked by its content (files.check): what it was called, its kind, size and SHA-256, who
    uploaded it and when it was taken off (the record and bytes stay for the audit trail). Private: served
    only after a permission check. Subclasses add the `file` field with their own storage path."""

    original_name = models.CharField(_("文件名"), max_length=255)
    kind = models.CharField(_("类型"), max_length=8)
    size = models.PositiveIntegerField(_("字节数"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class EvidenceFile(CheckedFile):
    """A PDF, image or spreadsheet attached to one indicator."""

    assessment = models.ForeignKey(Assessment, verbose_name=_("自评"), on_delete=models.CASCADE, related_name="files")
    number = models.PositiveSmallIntegerField(_("指标编号"))
    file = models.FileField(_("文件"), upload_to=evidence_file_path, max_length=255)

    class Meta(CheckedFile.Meta):
        verbose_name = _("自评佐证材料")
        verbose_name_plural = _("自评佐证材料")

    @property
    def policy_region(self) -> Page:
        return self.assessment.region


class AssessmentSnapshot(models.Model):
    """An assessment frozen whole (values, computed values with basis, points, total, band, plan)."""

    assessment = models.ForeignKey(Assessment, verbose_name=_("自评"), on_delete=models.PROTECT,
                                   related_name="snapshots")
    data = models.JSONField(_("冻结数据"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("自评快照")
        verbose_name_plural = _("自评快照")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.assessment} · 快照 #{self.pk}"

    @property
    def policy_region(self) -> Page:
        return self.assessment.region
