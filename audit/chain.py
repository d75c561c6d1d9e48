"""Append every audit log entry to a SHA-256 hash chain, cheaply and safely under concurrent writers.

Two steps, so that no writer waits on the others:

1. In the entry's own transaction, `entry_saved` stores a pending link with the digest of the entry as the
   database holds it (two queries, no lock). The entry and its link commit or roll back together.
2. After that transaction commits, its own sealer (`seal_links`) locks the chain head (one row), numbers the
   links that transaction wrote in the order they were written, stamps them with the seal time and chains each
   one's digest over the previous link's.

Locking the head in the writing transaction itself would hold it until commit: a long transaction (a results
import of a thousand lines) would stall every phone save in the province behind it, and its later row locks
could deadlock with a save holding an item row and waiting for the head. Sealing takes the head for a few
milliseconds and never holds another lock.

A sealer seals only its own transaction's links, never another pending link it finds: one written behind the
product's back (with a backdated entry and a correct content digest) would otherwise be adopted by the next
commit. A link left pending by a crash between commit and seal stays pending; `verify_audit` reports it, and an
operator seals it after checking, with `seal_audit --confirm`, which puts what it adopted on the trail.

Entry timestamps may go backwards along the chain by as long as a transaction lasts (a long import commits
after quicker saves), so the chain carries its own time: each link's `sealed_at`, never earlier than the link
before it and covered by its digest.
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
from django.utils import timezone
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


def chained_digest(prev_digest: str, seq: int, content: str, sealed_at: datetime | None) -> str:
    """Return a link's digest: over the previous link's digest, its own number, its entry's content and its seal
    time (links sealed before seal times were kept have none, and their digest is over the first three)."""
    text = f"{prev_digest}:{seq}:{content}" + (f":{_plain(sealed_at)}" if sealed_at is not None else "")
    return hashlib.sha256(text.encode()).hexdigest()


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
    seal_on_commit([link.pk for link in link_entries(sender, [instance.pk], using)], using)


def seal_on_commit(ids: list[int], using: str = "default") -> None:
    """Seal these links (the current transaction's own) once it commits: one seal per transaction, which every
    later link of the same transaction joins."""
    connection = connections[using]
    if connection.in_atomic_block:
        for _, hook, *_ in connection.run_on_commit:
            if getattr(hook, "func", None) is seal_links and hook.args[1] == using:
                hook.args[0].extend(ids)
                return
    transaction.on_commit(partial(seal_links, list(ids), using), using=using)


def head_locked(using: str = "default") -> ChainHead:
    """Return the chain head, locked until the end of the current transaction."""
    head, _ = ChainHead.objects.using(using).select_for_update().get_or_create(pk=1)
    return head


def seal_links(ids: list[int], using: str = "default") -> int:
    """Number, time and chain these links where still pending, oldest first; return how many were sealed."""
    ids = sorted(set(ids))
    return sum(_seal(ChainLink.objects.using(using).filter(pk__in=ids[start:start + SEAL_BATCH]), using)
               for start in range(0, len(ids), SEAL_BATCH))


def seal_pending(using: str = "default") -> int:
    """Seal every pending link, whoever wrote it: only for an operator who has checked them (`seal_audit`)."""
    sealed = 0
    while batch := _seal(ChainLink.objects.using(using).all(), using, limit=SEAL_BATCH):
        sealed += batch
    return sealed


def _seal(links, using: str, limit: int | None = None) -> int:
    with transaction.atomic(using=using):
        head = head_locked(using)
        pending = list(links.filter(seq__isnull=True).order_by("pk")[:limit])
        if not pending:
            return 0
        # The chain's own clock never goes back, whatever the servers' clocks do, and a link is never sealed
        # before it was written (an operator's seal_audit may run on a host whose clock is behind).
        moment = max(filter(None, [timezone.now(), head.sealed_at, *(link.created_at for link in pending)]))
        for link in pending:
            link.seq, link.prev_digest, link.sealed_at = head.seq + 1, head.digest, moment
            link.digest = chained_digest(link.prev_digest, link.seq, link.content_digest, moment)
            head.seq, head.digest = link.seq, link.digest
        ChainLink.objects.using(using).bulk_update(pending, ["seq", "prev_digest", "digest", "sealed_at"])
        head.sealed_at = moment
        head.save(using=using, update_fields=["seq", "digest", "sealed_at"])
    return len(pending)


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
    linked = []
    with transaction.atomic(using=using):
        ChainHead.objects.using(using).create(pk=1, digest=GENESIS, base_digest=GENESIS)
        for start in range(0, len(trail), LINK_BATCH):
            # Consecutive entries of one model go in one read and one insert, keeping the order.
            for model_label, run in groupby(trail[start:start + LINK_BATCH], key=itemgetter(1)):
                linked += [link.pk for link in link_entries(by_label[model_label], [pk for *_, pk in run], using)]
    seal_links(linked, using)
