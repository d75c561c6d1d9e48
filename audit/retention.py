"""How long the audit trail is kept: at least six months (网络安全法 第二十一条), and how older entries go.

Nothing in the product deletes log entries; `audit_prune` is the only way, for entries older than the
retention period, and it re-anchors the chain so what remains still verifies.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .actors import log
from .chain import head_locked, in_chunks, label, log_models
from .models import ChainLink
from .verify import verify_chain

RETENTION_MONTHS = 6
PRUNED = "audit.pruned"


class RetentionError(Exception):
    """A prune that would break the retention rule or hide a broken chain; `message` says why in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Pruned:
    entries: int
    base_seq: int


def months_before(moment: datetime, months: int) -> datetime:
    """Return the same local time `months` calendar months earlier (the 31st becomes the month's last day)."""
    local = timezone.localtime(moment)
    month_index = local.year * 12 + local.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(local.day, calendar.monthrange(year, month + 1)[1])
    return local.replace(year=year, month=month + 1, day=day)


def latest_cutoff(now: datetime | None = None) -> datetime:
    """Return the latest `before` a prune may use: entries younger than six months are always kept."""
    return months_before(now or timezone.now(), RETENTION_MONTHS)


def audit_prune(*, before: datetime, user) -> Pruned:
    """Delete the oldest entries (and links) older than `before`, re-anchor the chain, and log the prune."""
    if before > latest_cutoff():
        raise RetentionError(
            f"审计日志至少保留 {RETENTION_MONTHS} 个月（《网络安全法》第二十一条），"
            f"--before 最晚为 {latest_cutoff():%Y-%m-%d}"
        )
    verdict = verify_chain()
    if not verdict.ok:
        raise RetentionError(f"审计链有 {verdict.count} 处问题，先查明再清理，第一处：{verdict.problems[0]}")
    with transaction.atomic():
        head = head_locked()
        doomed = _prefix_before(before, head.base_seq)
        if not doomed:
            return Pruned(0, head.base_seq)
        models = {label(model): model for model in log_models()}
        for model_label in {link.log_model for link in doomed}:
            ids = [link.entry_id for link in doomed if link.log_model == model_label]
            for start in range(0, len(ids), 2000):
                models[model_label]._base_manager.filter(pk__in=ids[start:start + 2000]).delete()
        ChainLink.objects.filter(seq__lte=doomed[-1].seq).delete()
        head.base_seq, head.base_digest = doomed[-1].seq, doomed[-1].digest
        head.save(update_fields=["base_seq", "base_digest"])
        log(head, PRUNED, actor=user, data={
            "before": before.isoformat(), "entries": len(doomed), "base_seq": head.base_seq,
            "base_digest": head.base_digest,
        })
    return Pruned(len(doomed), head.base_seq)


def _prefix_before(before: datetime, base_seq: int) -> list[ChainLink]:
    """Return the links from the start of the chain up to the first one written at or after `before`."""
    prefix: list[ChainLink] = []
    models = {label(model): model for model in log_models()}
    for chunk in in_chunks(ChainLink.objects.filter(seq__gt=base_seq).order_by("seq")):
        stamps = {}
        for model_label in {link.log_model for link in chunk}:
            ids = [link.entry_id for link in chunk if link.log_model == model_label]
            found = models[model_label]._base_manager.filter(pk__in=ids).values_list("pk", "timestamp")
            stamps.update({(model_label, pk): stamp for pk, stamp in found})
        for link in chunk:
            stamp = stamps.get((link.log_model, link.entry_id))
            if link.created_at >= before or stamp is None or stamp >= before:
                return prefix
            prefix.append(link)
    return prefix
