"""Links that were written but never sealed: what they are, and how an operator seals them after checking.

A transaction's own sealer seals its links right after it commits (audit.chain). A link still pending later
was left by a process that died between commit and seal, or was written behind the product's back; the two look
alike, so nothing adopts a pending link by itself. `verify_audit` reports each one that is older than the newest
sealed link; an operator looks at them (`seal_audit` lists them) and seals those they vouch for with
`seal_audit --confirm`, which puts every entry it adopted on the trail (`audit.pending_sealed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from .actors import log
from .chain import content_digest, head_locked, label, log_models, rows_of, seal_links
from .models import ChainHead, ChainLink

PENDING_SEALED = "audit.pending_sealed"


@dataclass(frozen=True)
class PendingLink:
    link: ChainLink
    model: type | None  # the log model, None when it no longer exists
    row: dict | None  # the entry as the database holds it now, None when it is gone

    @property
    def entry_time(self) -> datetime | None:
        return self.row["timestamp"] if self.row else None

    @property
    def intact(self) -> bool:
        """Whether the entry is still there and still has the content its link recorded when it was written."""
        if self.row is None:
            return False
        fields = self.link.fields.split(",")
        return all(f in self.row for f in fields) and (
            content_digest(self.link.log_model, self.row, fields) == self.link.content_digest)

    @property
    def earliest(self) -> datetime:
        """The earlier of the link's write time and its entry's time: what a backdated forgery cannot hide."""
        return min(t for t in (self.link.created_at, self.entry_time) if t is not None)


def pending_links(using: str = "default") -> list[PendingLink]:
    """Return every link not yet sealed, oldest first, with its entry (read only)."""
    links = list(ChainLink.objects.using(using).filter(seq__isnull=True).order_by("pk"))
    models = {label(model): model for model in log_models()}
    rows: dict[tuple[str, int], dict] = {}
    for model_label in {link.log_model for link in links}:
        model = models.get(model_label)
        if model is not None:
            ids = [link.entry_id for link in links if link.log_model == model_label]
            fields = sorted(f.attname for f in model._meta.concrete_fields)
            rows.update({(model_label, pk): row for pk, row in rows_of(model, ids, fields, using).items()})
    return [PendingLink(link, models.get(link.log_model), rows.get((link.log_model, link.entry_id)))
            for link in links]


def newest_seal(using: str = "default") -> datetime | None:
    """When the newest sealed link was sealed (for a chain sealed before seal times were kept: written)."""
    head = ChainHead.objects.using(using).filter(pk=1).first()
    if head is None or head.seq == head.base_seq:
        return None
    if head.sealed_at is not None:
        return head.sealed_at
    last = ChainLink.objects.using(using).filter(seq=head.seq).first()
    return last.created_at if last else None


@dataclass(frozen=True)
class Sealed:
    sealed: list[PendingLink]
    refused: list[PendingLink]  # edited or deleted since they were written: they stay pending, and reported


@transaction.atomic
def pending_seal(*, actor) -> Sealed:
    """Seal every pending link whose entry is intact, and log which entries were adopted (by whom)."""
    head_locked()  # no other sealer runs until this transaction ends
    found = pending_links()
    sealed = [p for p in found if p.intact]
    refused = [p for p in found if not p.intact]
    if sealed:
        seal_links([p.link.pk for p in sealed])
        log(ChainHead.objects.get(pk=1), PENDING_SEALED, actor=actor, data={
            "count": len(sealed),
            "entries": [{"model": p.link.log_model, "id": p.link.entry_id, "action": p.row.get("action", ""),
                         "timestamp": p.entry_time.isoformat() if p.entry_time else None,
                         "written_at": p.link.created_at.isoformat(), "content_digest": p.link.content_digest}
                        for p in sealed],
        })
    return Sealed(sealed, refused)
