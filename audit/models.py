"""The audit chain: one link per audit log entry, in the order entries were sealed, and the chain's head.

Wagtail's log models (ModelLogEntry, PageLogEntry) cannot take new columns, so the hashes live beside them,
keyed by (log model, entry id), for every log model alike (our ChecklistLogEntry too).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64  # the "previous digest" of the first link of a chain that was never pruned


class ChainLink(models.Model):
    """One log entry's place in the chain.

    Written in the entry's own transaction with the digest of its content (`content_digest`); sealed right
    after commit, by that transaction's own sealer, with its number, its seal time and the chained digest over
    the previous link's (`seq`, `sealed_at`, `prev_digest`, `digest`). Append-only: nothing in the product
    edits or deletes a link, except pruning entries older than the retention period (audit.retention).
    """

    log_model = models.CharField(_("日志模型"), max_length=100)  # app_label.model_name
    entry_id = models.BigIntegerField(_("日志编号"))
    fields = models.TextField(_("纳入哈希的字段"))  # comma separated, so a column added later does not break old links
    content_digest = models.CharField(_("内容哈希"), max_length=64)
    created_at = models.DateTimeField(_("写入时间"), default=timezone.now)
    seq = models.BigIntegerField(_("链上序号"), null=True, blank=True, unique=True)
    prev_digest = models.CharField(_("前一链节哈希"), max_length=64, blank=True)
    digest = models.CharField(_("链节哈希"), max_length=64, blank=True)
    # When the sealer numbered it: never earlier than the link before it, and covered by `digest`. Empty only on
    # links sealed before seal times were kept (their digest is over prev:seq:content alone).
    sealed_at = models.DateTimeField(_("封存时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计链节")
        verbose_name_plural = _("审计链节")
        constraints = [models.UniqueConstraint(fields=["log_model", "entry_id"], name="audit_link_per_entry")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.log_model}:{self.entry_id}"


class ChainHead(models.Model):
    """The single row every sealer locks: the last sealed link, and where the chain starts after pruning."""

    seq = models.BigIntegerField(_("最后序号"), default=0)
    digest = models.CharField(_("最后哈希"), max_length=64, default=GENESIS)
    base_seq = models.BigIntegerField(_("起始序号（此前已清理）"), default=0)
    base_digest = models.CharField(_("起始哈希"), max_length=64, default=GENESIS)
    sealed_at = models.DateTimeField(_("最后封存时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"审计链 #{self.seq} {self.digest[:12]}"
