"""`make bench-phone`: the phone on emulated slow 3G against production-style serving (issue 10's targets).

    python -m bench.phone [--keep]

Builds var/bench-phone/ (a SQLite database with the demo city and its answers, collected static files), starts
gunicorn with the production settings (DEBUG off, a benchmark SECRET_KEY, WhiteNoise's compressed manifest
files) on a free 127.0.0.1 port, and drives Debian's Chromium at 360×640 with Chromium's network emulation
(Network.emulateNetworkConditions over CDP: 400 kbit/s down and up, 400 ms round trip), on the page and on the
service worker. It counts the encoded bytes on the wire (headers and bodies, as Chromium reports them) and
writes bench/results-phone.json:

- first visit of /c/<code>/ by a freshly logged-in phone (cold cache, no service worker yet): time until the page
  is usable (DOMContentLoaded: rendered, its scripts wired), bytes of the visit; then, separately, what the
  service worker downloads afterwards in the background to keep the worker's pages offline (counted from the
  server's access log: the worker starts before it can be attached to, so its first requests go unthrottled);
- repeat visit of the same page (service worker installed, its list of pages older than 20 s, so it asks again);
- offline open of an item page never opened before;
- one 12-megapixel phone JPEG: upload bytes before the verifier can review it (the display copy and the facts),
  and the original's size that follows later.

Targets are reported (✓/✗), never an error exit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench-phone"
RESULTS = ROOT / "bench" / "results-phone.json"
CODE = "379902001001"
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
TARGETS = {
    "first_visit_usable_ms": ("< 3000", lambda v: v < 3000),
    "first_visit_kb": ("≤ 35", lambda v: v <= 35),
    "repeat_visit_kb": ("≤ 5", lambda v: v <= 5),
    "offline_open_ms": ("< 1000", lambda v: v < 1000),
    "photo_upload_kb": ("≤ 500", lambda v: v <= 500),
    "photo_detailed_upload_kb": ("≤ 500", lambda v: v <= 500),
}
INFO = ("first_visit_fcp_ms", "background_bodies_kb", "background_requests", "background_pages", "offline_ready_s",
        "photo_original_kb", "photo_prepare_ms", "photo_reviewable_ms", "photo_detailed_original_kb",
        "photo_detailed_reviewable_ms")


def step(message: str) -> None:
    print(f"· {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    return {
        **env, "DJANGO_SETTINGS_MODULE": "smartsite.settings.production", "DATABASE_URL":
        f"sqlite:///{OUT / 'db.sqlite3'}", "SECRET_KEY": "bench-phone-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_COOKIES": "0", "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(OUT / "media"), "STATIC_ROOT": str(OUT / "static"), "PYTHONPATH": str(ROOT),
        "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "4",
        "GUNICORN_ACCESS_LOG": "", "GUNICORN_LOG_LEVEL": "warning", "LOG_LEVEL": "WARNING",
        "ADMIN_REQUIRE_2FA": "0",
    }


def prepare(env: dict[str, str]) -> None:
    """A fresh database with the demo city and its answers (seeded in development mode, served in production)."""
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    dev = {**env, "DJANGO_SETTINGS_MODULE": "smartsite.settings.dev", "DEBUG": "1",
           "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}

    def manage(*args: str, settings: dict = dev) -> None:
        subprocess.run([sys.executable, "manage.py", *args], env=settings, cwd=ROOT, check=True, timeout=900,
                       stdout=subprocess.DEVNULL)

    step("建库并生成示范市及其演示答卷")
    for args in (("migrate", "--noinput", "-v", "0"), ("load_standard",), ("open_round", "2026", "--name", "2026年度"),
                 ("seed_demo",), ("seed_demo_results",)):
        manage(*args)
    step("收集静态文件（WhiteNoise：带哈希的文件名，gzip 与 brotli 压缩）")
    manage("collectstatic", "--noinput", "-v", "0", settings=env)


def start(env: dict[str, str], port: int) -> subprocess.Popen:
    log = open(OUT / "gunicorn.log", "w")  # noqa: SIM115 (closed with the process)
    # Every request the phone makes, with the body bytes sent: the server's view of what went over the wire.
    access = ["--access-logfile", str(OUT / "access.log"), "--access-logformat", "%(m)s %(U)s %(s)s %(B)s"]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", *access, "smartsite.wsgi"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn 未能在 60 秒内启动，见 var/bench-phone/gunicorn.log")


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="Phone pages on emulated slow 3G (issue 10)")
    parser.add_argument("--keep", action="store_true", help="reuse var/bench-phone/ if it exists")
    args = parser.parse_args()
    port = free_port()
    env = environment(port)
    if not (args.keep and (OUT / "db.sqlite3").exists()):
        prepare(env)
    step(f"启动 gunicorn（生产设置，127.0.0.1:{port}）")
    server = start(env, port)
    try:
        from .phone_browser import measure

        results = measure(f"http://127.0.0.1:{port}", CODE, SLOW_3G, OUT)
    finally:
        stop(server)
    results["server_errors"] = (OUT / "gunicorn.log").read_text(encoding="utf-8", errors="replace").count("Traceback")
    results["machine"] = f"{os.cpu_count()} CPU · Python {platform.python_version()}"
    results["network"] = "Chromium emulation: 400 kbit/s down, 400 kbit/s up, 400 ms RTT"
    results["targets_met"] = all(check(results[key]) for key, (_, check) in TARGETS.items())
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print()
    for key, (target, check) in TARGETS.items():
        print(f"{key:28}{results[key]:>10}  目标 {target:8}{'✓' if check(results[key]) else '✗ 未达标'}")
    for key in INFO:
        print(f"{key:28}{results[key]:>10}")
    print(f"\n已写入 {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main() or 0)

