"""Item results (a community's answer to one item in one round), their photo evidence, save receipts and audit trail."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry, BaseLogEntryManager

from communities import policy
from communities.models import CommunityPage
from standards.models import Round

from .actions import ChecklistAction


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("被退回")


# The one definition of "an item passes" (interfaces.md: approved, and every rule and requirement holds), as a
# query condition for the roll-up and as ItemResult.passes for one result.
PASSES = models.Q(status=Status.APPROVED, rules_pass=True)


class ItemResult(models.Model):
    """A community's answer to one item of the standard in one round, with its workflow status."""

    round = models.ForeignKey(Round, verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="results")
    community = models.ForeignKey(
        CommunityPage, verbose_name=_("社区"), on_delete=models.CASCADE, related_name="results"
    )
    item_number = models.PositiveSmallIntegerField(_("指标序号"))
    values = models.JSONField(_("填报数据"), default=dict, blank=True)
    not_applicable = models.JSONField(_("本社区无此设施"), default=dict, blank=True)
    note = models.TextField(_("备注"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # The engine's verdict on values + evidence, stored so coverage is an aggregate query.
    rules_pass = models.BooleanField(_("规则达标"), default=False)
    complete = models.BooleanField(_("填写完整"), default=False)
    evaluation = models.JSONField(_("评估结果"), default=dict, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    # Set by the worker's own changes (answers, photos), cleared when a verifier returns or reopens the item:
    # 提交全部 resubmits a returned item only when something was done about the return.
    changed_since_return = models.BooleanField(_("退回后已修改"), default=False)
    # Optimistic concurrency: a save carries the revision it was based on; a stale one is a conflict.
    revision = models.PositiveIntegerField(_("修订号"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("最后填报人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("指标填报")
        verbose_name_plural = _("指标填报")
        ordering = ["community_id", "item_number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "community", "item_number"], name="unique_item_result")
        ]
        indexes = [models.Index(fields=["round", "status", "rules_pass"], name="result_rollup_idx")]

    def __str__(self) -> str:
        return f"{self.community.title} · 第{self.item_number}项"

    @property
    def passes(self) -> bool:
        """Whether the item counts toward coverage: approved, with every rule and requirement holding."""
        return self.status == Status.APPROVED and self.rules_pass

    @property
    def policy_region(self) -> CommunityPage:
        return self.community


def evidence_path(instance: "Evidence", filename: str) -> str:
    """Store evidence by round and community, under a random name that cannot be guessed."""
    result = instance.result
    return f"evidence/{result.round.code}/{result.community.code}/{uuid.uuid4().hex}/{filename}"


class Evidence(models.Model):
    """A photo attached to an item result: the original kept byte-for-byte, plus display and thumbnail copies.

    A phone on a weak network sends its own display copy and the original's facts (SHA-256, size, capture time,
    GPS) first; the original follows later (EVIDENCE_ORIGINALS) and is kept only if its SHA-256 is the declared
    one. Until then `original` is empty and the facts are as the phone declared them (`facts_confirmed`).
    """

    result = models.ForeignKey(ItemResult, verbose_name=_("指标填报"), on_delete=models.CASCADE, related_name="photos")
    original = models.FileField(_("原图"), upload_to=evidence_path, max_length=255, blank=True)
    copy = models.FileField(_("手机压缩副本"), upload_to=evidence_path, max_length=255, blank=True)
    declared = models.JSONField(_("手机申报的原图信息"), default=dict, blank=True)
    original_received_at = models.DateTimeField(_("原图上传时间"), null=True, blank=True)
    display = models.FileField(_("展示图"), upload_to=evidence_path, max_length=255, blank=True)
    thumbnail = models.FileField(_("缩略图"), upload_to=evidence_path, max_length=255, blank=True)
    original_name = models.CharField(_("文件名"), max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    phash = models.CharField(_("感知哈希"), max_length=16, db_index=True, blank=True)
    size = models.PositiveIntegerField(_("字节数"))
    format = models.CharField(_("格式"), max_length=8)
    width = models.PositiveIntegerField(_("宽"))
    height = models.PositiveIntegerField(_("高"))
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    gps_lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    gps_lon = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    flag_old = models.BooleanField(_("拍摄早于轮次开始"), default=False)
    flag_duplicate = models.BooleanField(_("与其他社区重复"), default=False)
    duplicate_of = models.JSONField(_("重复来源"), default=list, blank=True)
    client_id = models.UUIDField(_("客户端请求号"), null=True, blank=True, unique=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("佐证照片")
        verbose_name_plural = _("佐证照片")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name or self.sha256[:12]

    @property
    def policy_region(self) -> CommunityPage:
        return self.result.community

    @property
    def facts_confirmed(self) -> bool:
        """Whether size, capture time and GPS were read from the kept original (else the phone declared them)."""
        return bool(self.original)


class SaveReceipt(models.Model):
    """A client request id already applied, so a retried or double-tapped save is not applied twice."""

    request_id = models.UUIDField(primary_key=True)
    result = models.ForeignKey(ItemResult, on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveIntegerField()
    # SHA-256 of what the request asked for (services.payload_digest): the same id with other content is refused.
    # Empty on receipts written before it was recorded: their replays are accepted as before.
    payload_digest = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("保存回执")
        verbose_name_plural = _("保存回执")

    def __str__(self) -> str:
        return str(self.request_id)


class ChecklistLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs.update(object_id=str(instance.pk))
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(object_id=str(instance.pk), content_type=ContentType.objects.get_for_model(instance))

    def viewable_by_user(self, user):
        # Wagtail's site-wide history report lists entries through this; scope them like everything else.
        paths = policy.scope_paths(user, ChecklistAction.VIEW_AUDIT)
        if paths is None:
            return self.all()
        communities = policy.in_scope(user, ChecklistAction.VIEW_AUDIT, CommunityPage.objects.all())
        return self.filter(community_code__in=communities.values("code"))


class ChecklistLogEntry(BaseLogEntry):
    """Wagtail log entry for the checklist audit trail, with the columns the audit export filters on.

    Append-only: written through checklists.audit.record and never edited or deleted by the UI.
    """

    object_id = models.CharField(max_length=255, db_index=True)
    round_code = models.CharField(_("轮次"), max_length=32, db_index=True, blank=True)
    community_code = models.CharField(_("社区代码"), max_length=12, db_index=True, blank=True)
    item_number = models.PositiveSmallIntegerField(_("指标序号"), null=True, blank=True)
    from_status = models.CharField(_("原状态"), max_length=10, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    via = models.CharField(_("来源"), max_length=16, default="web")

    objects = ChecklistLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        verbose_name = _("核查日志")
        verbose_name_plural = _("核查日志")
        ordering = ["timestamp", "id"]
        indexes = [models.Index(fields=["community_code", "round_code", "timestamp"], name="audit_lookup_idx")]
