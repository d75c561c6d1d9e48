"""Dump and restore the whole database: pg_dump/pg_restore for PostgreSQL, the SQLite backup API for SQLite.

Row counts are taken from exactly what was dumped (PostgreSQL: the same exported snapshot; SQLite: the copy
itself), so a restore can be checked table by table.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, transaction


class BackupError(Exception):
    """A backup or restore that cannot go on; `message` says why in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


DUMP_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


def vendor() -> str:
    if connection.vendor not in DUMP_FILES:
        raise BackupError(f"不支持的数据库：{connection.vendor}（只支持 PostgreSQL 和 SQLite）")
    return connection.vendor


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table_names(cursor) -> list[str]:
    """Return every table of the database (not only Django's), by name."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def row_counts(cursor) -> dict[str, int]:
    counts = {}
    for table in table_names(cursor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def live_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return row_counts(cursor)


def is_empty() -> bool:
    with connection.cursor() as cursor:
        return not table_names(cursor)


# --- PostgreSQL ---------------------------------------------------------------------------------------------

def server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def pg_tool(name: str) -> str:
    """Find pg_dump or pg_restore of the server's major version (or newer), else explain what to install."""
    major = server_major()
    candidates = [Path(os.environ["PG_BINDIR"]) / name] if os.environ.get("PG_BINDIR") else []
    candidates += [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if found := shutil.which(name):
        candidates.append(Path(found))
    for path in candidates:
        if path.is_file() and (tool_major(path) or 0) >= major:
            return str(path)
    raise BackupError(
        f"找不到 PostgreSQL {major} 或更新版本的 {name}：请安装 postgresql-client-{major}"
        f"（Debian：apt-get install postgresql-client-{major}），或用 PG_BINDIR 指向其目录"
    )


def tool_major(path: Path) -> int | None:
    output = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"\) (\d+)", output)
    return int(match.group(1)) if match else None


def pg_env() -> dict[str, str]:
    """Return the environment that points libpq's tools at Django's database (no password on a command line)."""
    settings = connection.settings_dict
    env = {**os.environ, "PGDATABASE": settings["NAME"]}
    for key, variable in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if settings.get(key):
            env[variable] = str(settings[key])
    if sslmode := settings.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return env


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=pg_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} 失败：{done.stderr.strip()[-2000:]}")


def dump_postgresql(path: Path) -> dict[str, int]:
    """pg_dump (custom format) from one exported snapshot, and the row counts of that same snapshot."""
    tool = pg_tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run([tool, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "--file", str(path)])
        return row_counts(cursor)


def restore_postgresql(path: Path) -> None:
    tool = pg_tool("pg_restore")
    with connection.cursor() as cursor:
        for table in table_names(cursor):  # only with --force: the database was checked empty otherwise
            cursor.execute(f"DROP TABLE IF EXISTS {_quote(table)} CASCADE")
    connection.close()
    _run([tool, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          "--dbname", connection.settings_dict["NAME"], str(path)])


# --- SQLite -------------------------------------------------------------------------------------------------

def dump_sqlite(path: Path) -> dict[str, int]:
    """Copy the live database page by page with SQLite's online backup API, then count rows in the copy."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        return row_counts(target.cursor())
    finally:
        target.close()


def restore_sqlite(path: Path) -> None:
    """Replace the whole database with the copy (SQLite's backup API in the other direction)."""
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def dump(path: Path) -> dict[str, int]:
    if connection.in_atomic_block:
        raise BackupError("备份不能在事务中进行：请直接运行 backup 命令")
    return dump_postgresql(path) if vendor() == "postgresql" else dump_sqlite(path)


def restore(path: Path) -> None:
    restore_postgresql(path) if vendor() == "postgresql" else restore_sqlite(path)
