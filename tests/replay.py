"""Run a data builder once, record the rows it wrote, and write the same rows into later tests' databases.

`seed_demo` builds 示范市 through the register import: about 1,900 queries, 1–2 s, in every test that asks for the
demo city. `replayed(build)` runs the real builder the first time, reads back every row it inserted or changed
(table by table, through the models' own fields) and, for later tests, writes those rows again with one
`executemany` per table, in a few milliseconds. The rows keep their primary keys, so they refer to each other as
the builder left them; timestamps the builder wrote move with the time of the replay, as if it had just finished.

A replay is used only where the builder would have written the same rows: the rows the recording refers to
(content types, groups, the locale …) and the rows the builder changed (the tree root's child count) must be as
they were when it was recorded (timestamps aside), and nothing may collide with what it inserts (a test made a
user `worker` first, say). Otherwise — or after a transactional test flushed the database and the content types
came back with new ids — the real builder runs again and its rows become the new recording. Builders that delete
rows, find their work already done or leave work for `on_commit` are not recorded.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from wagtail.models import BaseLogEntry

from audit.chain import seal_links, seal_on_commit
from audit.models import ChainLink

Rows = dict[Any, tuple]
# Tables the database fills itself: SQLite's full-text index of Wagtail's search entries is kept by triggers.
DERIVED = {"wagtailsearch_indexentry_fts"}


class _Stale(Exception):
    """The database is not in the state the recording was made in."""


@dataclass(frozen=True)
class Table:
    """One database table: the model that owns it and the columns it holds, read through their fields."""

    model: type[Model]

    @property
    def fields(self) -> list:
        return list(self.model._meta.local_concrete_fields)

    @property
    def pk_index(self) -> int:
        return next(i for i, f in enumerate(self.fields) if f.primary_key)

    def read(self, **lookup) -> Rows:
        names = [f.attname for f in self.fields]
        rows = self.model._base_manager.filter(**lookup).order_by().values_list(*names)
        return {row[self.pk_index]: row for row in rows}


def tables() -> list[Table]:
    """Every table the project's models own (including many-to-many tables), once each."""
    existing = set(connection.introspection.table_names())
    seen, found = set(), []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or opts.db_table in seen | DERIVED or opts.db_table not in existing:
            continue
        seen.add(opts.db_table)
        found.append(Table(model))
    return found


def snapshot() -> dict[Table, Rows]:
    return {table: table.read() for table in tables()}


@dataclass
class Recording:
    inserted: dict[Table, list[tuple]] = field(default_factory=dict)
    changed: dict[Table, Rows] = field(default_factory=dict)  # pk -> the row after the builder
    expected: dict[Table, Rows] = field(default_factory=dict)  # rows that must be as they were: pk -> row
    started: datetime.datetime | None = None
    finished: datetime.datetime | None = None
    result: Any = None


def _references(table: Table, row: tuple):
    """Yield (target table, pk) for each foreign key of `row` (every project key points at a primary key)."""
    for index, f in enumerate(table.fields):
        if f.is_relation and (f.many_to_one or f.one_to_one):
            value = row[index]
            if value is not None and f.target_field.primary_key:
                yield f.related_model._meta.concrete_model._meta.db_table, value


def record(before: dict[Table, Rows], after: dict[Table, Rows], started, finished, result) -> Recording | None:
    """Return what the builder did between the two snapshots, or None when it cannot be replayed."""
    recording = Recording(started=started, finished=finished, result=_freeze(result))
    by_name = {table.model._meta.db_table: table for table in before}
    for table, old in before.items():
        new = after[table]
        if old.keys() - new.keys():
            return None  # the builder deleted rows
        inserted = [row for pk, row in new.items() if pk not in old]
        changed = {pk: row for pk, row in new.items() if pk in old and old[pk] != row}
        if inserted:
            recording.inserted[table] = inserted
        if changed:
            recording.changed[table] = changed
            recording.expected.setdefault(table, {}).update({pk: old[pk] for pk in changed})
    if not recording.inserted and not recording.changed:
        return None  # the builder found its work done: replaying nothing would not be the same
    if not all(_inserted(recording, frozen) for frozen in _models(recording.result)):
        return None  # it returned something that was there before it ran
    for table, rows in [*recording.inserted.items(), *((t, list(r.values())) for t, r in recording.changed.items())]:
        for row in rows:
            for name, pk in _references(table, row):
                target = by_name.get(name)
                if target is not None and pk in before[target]:
                    recording.expected.setdefault(target, {})[pk] = before[target][pk]
    return recording


def _models(frozen):
    if isinstance(frozen, tuple) and len(frozen) == 3 and frozen[0] == "model":
        yield frozen
    elif isinstance(frozen, tuple | list):
        for value in frozen:
            yield from _models(value)
    elif isinstance(frozen, dict):
        for value in frozen.values():
            yield from _models(value)


def _inserted(recording: Recording, frozen) -> bool:
    table = frozen[1]._meta.concrete_model._meta.db_table
    return any(
        t.model._meta.db_table == table and any(row[t.pk_index] == frozen[2] for row in rows)
        for t, rows in recording.inserted.items()
    )


def _freeze(result):
    if isinstance(result, Model):
        return ("model", type(result), result.pk)
    if isinstance(result, tuple | list):
        return type(result)(_freeze(value) for value in result)
    if isinstance(result, dict):
        return {key: _freeze(value) for key, value in result.items()}
    return copy.deepcopy(result)


def _thaw(frozen):
    if isinstance(frozen, tuple) and len(frozen) == 3 and frozen[0] == "model":
        return frozen[1]._base_manager.get(pk=frozen[2])
    if isinstance(frozen, tuple | list):
        return type(frozen)(_thaw(value) for value in frozen)
    if isinstance(frozen, dict):
        return {key: _thaw(value) for key, value in frozen.items()}
    return copy.deepcopy(frozen)


def _timeless(rows: Rows) -> Rows:
    """The rows with their timestamps left out: a round opened a second later is still the same round."""
    return {pk: tuple(None if isinstance(v, datetime.datetime) else v for v in row) for pk, row in rows.items()}


def _shifted(table: Table, row: tuple, recording: Recording, delta: datetime.timedelta) -> tuple:
    if issubclass(table.model, BaseLogEntry):
        return row  # the audit chain holds a digest over each entry as written: its time must not move
    return tuple(
        value + delta
        if isinstance(value, datetime.datetime) and recording.started <= value <= recording.finished else value
        for value in row
    )


def _insert(table: Table, rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    fields = table.fields
    sql = (
        f"INSERT INTO {quote(table.model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    prepared = [[f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True)] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


def _update(table: Table, pk, row: tuple, old: tuple) -> None:
    quote = connection.ops.quote_name
    pairs = [(f, value) for f, value, was in zip(table.fields, row, old, strict=True) if value != was]
    sql = (
        f"UPDATE {quote(table.model._meta.db_table)} SET {', '.join(f'{quote(f.column)} = %s' for f, _ in pairs)} "
        f"WHERE {quote(table.fields[table.pk_index].column)} = %s"
    )
    params = [f.get_db_prep_save(value, connection) for f, value in pairs]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, table.fields[table.pk_index].get_db_prep_save(pk, connection)])


_SEQUENCES: dict[str, str | None] = {}


def _advance_sequences(tables_: list[Table]) -> None:
    """Keep PostgreSQL's sequences ahead of the ids written explicitly (SQLite's AUTOINCREMENT follows by itself)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables_:
            pk = table.fields[table.pk_index]
            if pk.get_internal_type() not in ("AutoField", "BigAutoField", "SmallAutoField"):
                continue
            name, column = table.model._meta.db_table, pk.column
            if name not in _SEQUENCES:
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(name), column])
                _SEQUENCES[name] = cursor.fetchone()[0]
            if sequence := _SEQUENCES[name]:
                cursor.execute(
                    f"SELECT setval(%s, GREATEST((SELECT MAX({connection.ops.quote_name(column)}) FROM "
                    f"{connection.ops.quote_name(name)}), (SELECT last_value FROM {sequence})))",
                    [sequence],
                )


def replay(recording: Recording) -> Any:
    """Write the recorded rows into this database; raise _Stale where it is not the state they were made in."""
    # As if the builder had just finished: nothing it wrote lies in the future (the audit chain's seal times
    # come after every entry's own time).
    delta = timezone.now() - recording.finished
    with transaction.atomic():
        for table, rows in recording.expected.items():
            if _timeless(table.read(pk__in=list(rows))) != _timeless(rows):
                raise _Stale(table.model._meta.db_table)
        try:
            for table, rows in recording.inserted.items():
                _insert(table, [_shifted(table, row, recording, delta) for row in rows])
            for table, rows in recording.changed.items():
                for pk, row in rows.items():
                    _update(table, pk, _shifted(table, row, recording, delta), recording.expected[table][pk])
        except IntegrityError as exc:
            raise _Stale(str(exc)) from exc
        _advance_sequences(list(recording.inserted))
        # As the builder's own log entries would have: its transaction's sealer seals the links it wrote.
        links = [table for table in recording.inserted if table.model is ChainLink]
        seal_on_commit([row[t.pk_index] for t in links for row in recording.inserted[t]])
    return _thaw(recording.result)


_RECORDINGS: dict[str, Recording] = {}
# key -> {"replayed": n, "built": n, "stale": [reasons]}: shown at the end of the run (tests/conftest.py).
STATS: dict[str, dict] = {}


def _pending_work() -> int:
    """Count the on_commit callbacks other than the audit chain's seal, which a replay schedules again itself."""
    return sum(1 for _, hook, *_ in connection.run_on_commit if getattr(hook, "func", None) is not seal_links)


def committed(build: Callable[[], Any]) -> Callable[[], Any]:
    """Wrap a builder so the work it leaves for `on_commit` (the register's search indexing, queued when an import
    commits) runs at its end, as a commit would, and is recorded with its rows. The audit seal is left scheduled."""

    def run():
        start = len(connection.run_on_commit)
        result = build()
        left = connection.run_on_commit[start:]
        work = [entry for entry in left if getattr(entry[1], "func", None) is not seal_links]
        connection.run_on_commit[start:] = [entry for entry in left if entry not in work]
        for _, hook, *_ in work:
            hook()
        return result

    return run


def replayed(key: str, build: Callable[[], Any], keep: Callable[[Any], bool] = lambda result: True) -> Any:
    """Return `build()`'s result, having written its rows by replaying the recording under `key` when possible.

    `keep(result)` says whether this build did the builder's whole work (and so may be replayed elsewhere).
    """
    stats = STATS.setdefault(key, {"replayed": 0, "built": 0, "stale": []})
    recording = _RECORDINGS.get(key)
    if recording is not None:
        try:
            result = replay(recording)
            stats["replayed"] += 1
            return result
        except _Stale as exc:  # kept until a new build is recorded: a test that already has the data says nothing
            stats["stale"].append(str(exc))
    stats["built"] += 1
    if not connection.in_atomic_block:
        return build()  # autocommit (a transactional test): on_commit work would run unseen, so do not record
    callbacks = _pending_work()
    before, started = snapshot(), timezone.now()
    result = build()
    finished = timezone.now()
    if _pending_work() == callbacks and keep(result):
        recording = record(before, snapshot(), started, finished, result)
        if recording is not None:
            _RECORDINGS[key] = recording
    return result
