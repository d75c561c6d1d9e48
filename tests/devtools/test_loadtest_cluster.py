"""`make loadtest` on a machine where nobody started PostgreSQL: it starts a throwaway cluster of its own, or says
in one Chinese line what it needs; a given LOADTEST_DATABASE_URL must be PostgreSQL on this machine."""

from pathlib import Path

import psycopg
import pytest

from bench.loadtest import cluster as throwaway
from bench.loadtest import run


def test_without_postgresql_it_says_what_it_needs(monkeypatch):
    monkeypatch.setattr(throwaway, "server_bindir", lambda: None)
    with pytest.raises(SystemExit) as stopped:
        with throwaway.cluster():
            pass
    message = str(stopped.value)
    assert "\n" not in message and "apt-get install postgresql" in message and "LOADTEST_DATABASE_URL" in message


@pytest.mark.skipif(throwaway.server_bindir() is None, reason="no PostgreSQL server binaries on this machine")
def test_a_throwaway_cluster_starts_serves_and_is_removed():
    with throwaway.cluster() as url:
        with psycopg.connect(url.replace("/zhsq", "/postgres"), autocommit=True) as db:
            assert db.execute("SHOW fsync").fetchone()[0] == "off"
            data = db.execute("SHOW data_directory").fetchone()[0]
        assert url.startswith("postgres://postgres@127.0.0.1:")
    assert not Path(data).exists()


def test_a_given_database_must_be_postgresql_on_this_machine(monkeypatch):
    assert run.database_url("postgres://me@127.0.0.1:5432/zhsq") == "postgres://me@127.0.0.1:5432/zhsq_loadtest"
    for url in ("sqlite:///var/db.sqlite3", "postgres://me@db.example.gov.cn/zhsq"):
        with pytest.raises(SystemExit):
            run.database_url(url)
    monkeypatch.setenv("LOADTEST_DATABASE_URL", "postgres://me@127.0.0.1:5432/zhsq")
    with run.database() as given:
        assert given == "postgres://me@127.0.0.1:5432/zhsq"
