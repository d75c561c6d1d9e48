"""The benchmark's own databases: a fresh SQLite file or PostgreSQL database per province size."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
SETTINGS = "bench.settings"


def engine(base_url: str | None) -> str:
    """Return "sqlite" or "postgresql" for the DATABASE_URL given to `make bench`."""
    if not base_url or base_url.startswith("sqlite"):
        return "sqlite"
    return "postgresql"


def url_for(base_url: str | None, size: int) -> str:
    """Return the URL of the benchmark database for `size` communities (never the database in base_url itself)."""
    if engine(base_url) == "sqlite":
        return f"sqlite:///{VAR / f'bench-{size}.sqlite3'}"
    parts = urlsplit(base_url)
    name = parts.path.lstrip("/") or "zhsq"
    return urlunsplit(parts._replace(path=f"/{name}_bench_{size}"))


def recreate(url: str) -> None:
    """Drop and create the benchmark database named by `url`."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unexpected database name {name!r}")
    admin = psycopg.connect(
        dbname="postgres", host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"],
        password=config["PASSWORD"] or None, autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def env_for(url: str, **extra: str) -> dict[str, str]:
    """Return the environment a benchmark subprocess runs with."""
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS, "PYTHONPATH": str(ROOT),
            **extra}


def manage(url: str, *args: str) -> None:
    """Run a manage.py command against the benchmark database, failing loudly."""
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env_for(url), cwd=ROOT, check=True)


def prepare(base_url: str | None, size: int, seed: int) -> str:
    """Create a fresh database holding a generated province of `size` communities; return its URL."""
    url = url_for(base_url, size)
    recreate(url)
    manage(url, "migrate", "--noinput", "-v", "0")
    manage(url, "generate_province", "--communities", str(size), "--seed", str(seed))
    return url
