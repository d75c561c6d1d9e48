"""Append every audit log entry to a SHA-256 hash chain, cheaply and safely under concurrent writers.

Two steps, so that no writer waits on the others:

1. In the entry's own transaction, `entry_saved` stores a pending link with the digest of the entry as the
   database holds it (two queries, no lock). The entry and its link commit or roll back together.
2. After that transaction commits, `seal_pending` locks the chain head (one row), numbers the pending links
   in the order they were written and chains each one's digest over the previous link's.

Locking the head in the writing transaction itself would hold it until commit: a long transaction (a results
import of a thousand lines) would stall every phone save in the province behind it, and its later row locks
could deadlock with a save holding an item row and waiting for the head. Sealing takes the head for a few
milliseconds and never holds another lock. A link left pending by a crash is sealed by the next commit or by
`verify_audit`; its content digest was fixed in the writing transaction, so a later edit still shows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from itertools import groupby, islice
from operator import itemgetter
from uuid import UUID

from django.apps import apps
from django.db import connections, models, transaction
from wagtail.models import BaseLogEntry

from .models import GENESIS, ChainHead, ChainLink

SEAL_BATCH = 1000
LINK_BATCH = 2000  # entries read per query when linking an existing trail (SQLite's parameter limit)


def log_models() -> list[type[models.Model]]:
    """Return every concrete log entry model installed (Wagtail's and the project's)."""
    return [m for m in apps.get_models() if issubclass(m, BaseLogEntry) and not m._meta.abstract]


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def hashed_fields(model: type[models.Model]) -> list[str]:
    """Return the columns an entry's digest covers: all of them, by name."""
    return sorted(field.attname for field in model._meta.concrete_fields)


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    return value


def content_digest(log_model: str, row: dict, fields: Iterable[str]) -> str:
    """Return the SHA-256 of one entry's columns, as canonical JSON (sorted keys, UTC times)."""
    payload = {"model": log_model, "fields": {name: _plain(row[name]) for name in fields}}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def chained_digest(prev_digest: str, seq: int, content: str) -> str:
    """Return a link's digest: over the previous link's digest, its own number and its entry's content."""
    return hashlib.sha256(f"{prev_digest}:{seq}:{content}".encode()).hexdigest()


def in_chunks(queryset, size: int = LINK_BATCH) -> Iterator[list]:
    """Yield a queryset's rows in lists of `size`, reading it once with a server-side cursor where there is one."""
    iterator = queryset.iterator(chunk_size=size)
    while chunk := list(islice(iterator, size)):
        yield chunk


def rows_of(model: type[models.Model], ids: Iterable[int], fields: list[str], using: str = "default") -> dict:
    """Return {id: row} as the database holds these entries (what the digest is computed over)."""
    rows = model._base_manager.using(using).filter(pk__in=list(ids)).values(*fields)
    return {row[model._meta.pk.attname]: row for row in rows}


def link_entries(model: type[models.Model], ids: list[int], using: str = "default") -> list[ChainLink]:
    """Store pending links for these entries of `model` (within the caller's transaction)."""
    fields = hashed_fields(model)
    rows = rows_of(model, ids, fields, using)
    links = [
        ChainLink(log_model=label(model), entry_id=pk, fields=",".join(fields),
                  content_digest=content_digest(label(model), rows[pk], fields))
        for pk in ids if pk in rows
    ]
    return ChainLink.objects.using(using).bulk_create(links)


def entry_saved(sender, instance, created, raw=False, using="default", **kwargs) -> None:
    """post_save of every log model: link a new entry and seal it once its transaction commits."""
    if raw or not created:
        return  # fixtures are loaded as they are; an edited entry keeps its old digest, so verify_audit shows it
    link_entries(sender, [instance.pk], using)
    seal_on_commit(using)


def seal_on_commit(using: str = "default") -> None:
    """Seal the current transaction's pending links once it commits (at most one seal per transaction)."""
    connection = connections[using]
    # One seal per transaction is enough: it takes every pending link, however many entries were written.
    if connection.in_atomic_block and any(getattr(hook, "func", None) is seal_pending
                                          for _, hook, *_ in connection.run_on_commit):
        return
    transaction.on_commit(partial(seal_pending, using), using=using)


def head_locked(using: str = "default") -> ChainHead:
    """Return the chain head, locked until the end of the current transaction."""
    head, _ = ChainHead.objects.using(using).select_for_update().get_or_create(pk=1)
    return head


def seal_pending(using: str = "default") -> int:
    """Number and chain every pending link, oldest first; return how many were sealed."""
    sealed = 0
    while True:
        with transaction.atomic(using=using):
            head = head_locked(using)
            pending = list(ChainLink.objects.using(using).filter(seq__isnull=True).order_by("pk")[:SEAL_BATCH])
            for link in pending:
                link.seq, link.prev_digest = head.seq + 1, head.digest
                link.digest = chained_digest(link.prev_digest, link.seq, link.content_digest)
                head.seq, head.digest = link.seq, link.digest
            if pending:
                ChainLink.objects.using(using).bulk_update(pending, ["seq", "prev_digest", "digest"])
                head.save(using=using, update_fields=["seq", "digest"])
        sealed += len(pending)
        if len(pending) < SEAL_BATCH:
            return sealed


def genesis(sender=None, using: str = "default", **kwargs) -> None:
    """Start the chain on first install (post_migrate): seal whatever entries an existing database holds.

    Only a database that never had a chain gets one this way; afterwards an entry with no link is reported by
    verify_audit as written behind the product's back, never silently adopted.
    """
    if ChainHead.objects.using(using).exists() or ChainLink.objects.using(using).exists():
        return
    tables = set(connections[using].introspection.table_names())
    models_ = [m for m in log_models() if m._meta.db_table in tables]
    # Oldest first across all log models, as the entries happened.
    trail = sorted(
        (timestamp, label(model), pk)
        for model in models_
        for timestamp, pk in model._base_manager.using(using).values_list("timestamp", "pk").iterator()
    )
    by_label = {label(model): model for model in models_}
    with transaction.atomic(using=using):
        ChainHead.objects.using(using).create(pk=1, digest=GENESIS, base_digest=GENESIS)
        for start in range(0, len(trail), LINK_BATCH):
            # Consecutive entries of one model go in one read and one insert, keeping the order.
            for model_label, run in groupby(trail[start:start + LINK_BATCH], key=itemgetter(1)):
                link_entries(by_label[model_label], [pk for *_, pk in run], using)
    seal_pending(using)
