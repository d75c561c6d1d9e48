"""Fast inserts: `executemany` (SQLite) or COPY (PostgreSQL) on a model's own table, bypassing per-object ORM work.

Django's `bulk_create` spends most of its time compiling SQL and preparing each value (SQLite allows only
999 parameters per statement, so 287,500 results are ~10,000 statements). Generated rows repeat a small pool of
JSON answers, so values are prepared once per answer, primary keys are allocated up front (sequences are reset
afterwards, as `loaddata` does) and every row is one tuple for `executemany`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model
from django.utils import timezone

BATCH = 5000


class Inserter:
    """Insert rows giving `names` (in order) into `model`'s table; other columns get their defaults."""

    def __init__(self, model: type[Model], names: Sequence[str]):
        opts = model._meta
        self.model = model
        self.fields = [opts.get_field(name) for name in names]
        given = set(self.fields)
        self.defaults = [(f, self._default(f)) for f in opts.local_concrete_fields if f not in given]
        quote = connection.ops.quote_name
        columns = [f.column for f in self.fields] + [f.column for f, _ in self.defaults]
        target = f"{quote(opts.db_table)} ({', '.join(map(quote, columns))})"
        self.sql = f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(columns))})"
        self.copy_sql = f"COPY {target} FROM STDIN"

    @staticmethod
    def _default(field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return connection.ops.adapt_datetimefield_value(timezone.now())
        if field.primary_key:
            raise ValueError(f"{field.name}: give the primary key explicitly")
        return field.get_db_prep_save(field.get_default(), connection)

    def prep(self, name: str, value):
        """Return `value` as the database expects it for field `name` (do this once per shared value)."""
        return self.model._meta.get_field(name).get_db_prep_save(value, connection)

    def insert(self, rows: Iterable[Sequence]) -> int:
        """Insert the rows (values already prepared, in `names` order); return how many."""
        tail = [value for _, value in self.defaults]
        if connection.vendor == "postgresql":
            return self._copy(rows, tail)
        batch, count = [], 0
        with connection.cursor() as cursor:
            for row in rows:
                batch.append([*row, *tail])
                if len(batch) >= BATCH:
                    cursor.executemany(self.sql, batch)
                    count, batch = count + len(batch), []
            if batch:
                cursor.executemany(self.sql, batch)
                count += len(batch)
        return count


    def _copy(self, rows: Iterable[Sequence], tail: list) -> int:
        """PostgreSQL's COPY: one stream instead of a statement per row (ten times faster for a province)."""
        count = 0
        with connection.cursor() as cursor, cursor.cursor.copy(self.copy_sql) as copy:
            for row in rows:
                copy.write_row([*row, *tail])
                count += 1
        return count


def next_id(model: type[Model]) -> int:
    """Return the first free primary key of `model` (ids are allocated by the generator, not the sequence)."""
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """Return `count` primary keys of `model` nobody else will take: drawn from PostgreSQL's sequence (safe beside
    other writers), or above the largest id on SQLite (whose one writer holds the database until commit)."""
    if count == 0:
        return []
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, model._meta.pk.column, count])
            return [row[0] for row in cursor.fetchall()]
    first = next_id(model)
    return list(range(first, first + count))


def reset_sequences(*models: type[Model]) -> None:
    """Move the database sequences past explicitly inserted ids (a no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def when(value) -> object:
    """Return a datetime as the database expects it in a raw insert."""
    return connection.ops.adapt_datetimefield_value(value) if value is not None else None
