"""A throwaway PostgreSQL cluster for `make loadtest` when no LOADTEST_DATABASE_URL is given, as `.ci/run` starts
one: initdb under /tmp, pg_ctl on a free 127.0.0.1 port, fsync off, trust authentication, removed afterwards.

Uses Debian's server binaries (/usr/lib/postgresql/<major>/bin, the newest) or those on the PATH. As root (a CI
container) it runs them as the `postgres` user, since the server refuses to run as root. When none can run,
`cluster()` stops with one Chinese line that says what to install or set.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NEEDS = ("负载测试需要 PostgreSQL：请安装服务器（Debian：apt-get install postgresql），"
         "或设置 LOADTEST_DATABASE_URL=postgres://用户@127.0.0.1:端口/库名 指向本机已运行的 PostgreSQL")


def server_bindir() -> Path | None:
    """Return the directory of initdb and pg_ctl: Debian's newest server, else the PATH's."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                    key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if debian:
        return debian[-1].parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found and shutil.which("pg_ctl") else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user() -> list[str]:
    """The prefix that runs a server binary as a non-root user (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise SystemExit(NEEDS) from None
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"]
    raise SystemExit(NEEDS)


@contextmanager
def cluster() -> Iterator[str]:
    """Start a private cluster and yield its URL (database `zhsq`); stop it and remove its files afterwards."""
    bindir = server_bindir()
    if bindir is None:
        raise SystemExit(NEEDS)
    prefix = _as_server_user()
    data = Path(tempfile.mkdtemp(prefix="zhsq-loadtest-pg."))
    if prefix:
        shutil.chown(data, "postgres", "postgres")
    port = free_port()
    run = [*prefix]
    try:
        subprocess.run([*run, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                        "--locale=C.UTF-8"], check=True, capture_output=True, timeout=120)
        options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " \
                  "-c full_page_writes=off -c max_connections=200"
        subprocess.run([*run, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-w",
                        "-o", options, "start"], check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(data, ignore_errors=True)
        raise SystemExit(f"{NEEDS}（启动临时 PostgreSQL 失败：{exc}）") from None
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/zhsq"
    finally:
        subprocess.run([*run, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True, timeout=120, check=False)
        shutil.rmtree(data, ignore_errors=True)
