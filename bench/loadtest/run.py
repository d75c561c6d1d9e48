"""`make loadtest`: 50 simulated workers for 60 s against gunicorn + PostgreSQL on 127.0.0.1, then check that
every acknowledged save and photo is in the database exactly once.

    python -m bench.loadtest.run [--workers 50] [--seconds 60] [--communities 1000]

With LOADTEST_DATABASE_URL (a PostgreSQL on 127.0.0.1) the data go to its own database <name>_loadtest, dropped and
recreated; without it the run starts a throwaway PostgreSQL cluster of its own and removes it afterwards
(bench/loadtest/cluster.py). Everything listens on and talks to 127.0.0.1; the run is bounded in time (locust -t,
plus hard subprocess timeouts). Exit status 1 when any request failed or anything was lost.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import nullcontext
from urllib.parse import urlsplit, urlunsplit

from bench.databases import ROOT, VAR, recreate
from bench.loadtest.cluster import cluster, free_port

OUT = VAR / "loadtest"
STATIC = VAR / "loadtest-static"  # kept between runs: collectstatic then copies and compresses only what changed
RESULTS = ROOT / "bench" / "loadtest" / "results.json"


def database_url(base: str) -> str:
    """Return the load test's own database beside the one `base` names (PostgreSQL on this machine only)."""
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("LOADTEST_DATABASE_URL 应为 postgres://…（不设置时自动启动一个临时 PostgreSQL）")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("负载测试只对本机（127.0.0.1）上的数据库运行")
    return urlunsplit(parts._replace(path=f"/{parts.path.lstrip('/') or 'zhsq'}_loadtest"))


def database():
    """The PostgreSQL to use: LOADTEST_DATABASE_URL's, else a throwaway cluster started for this run."""
    given = os.environ.get("LOADTEST_DATABASE_URL")
    return nullcontext(given) if given else cluster()


def server_env(url: str, secret: str, port: int, workers: int) -> dict[str, str]:
    return {
        **os.environ, "DJANGO_SETTINGS_MODULE": "smartsite.settings.production", "DEVTOOLS": "1", "DATABASE_URL": url,
        "SECRET_KEY": secret, "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_COOKIES": "0",
        "MEDIA_ROOT": str(OUT / "media"), "STATIC_ROOT": str(STATIC), "PYTHONPATH": str(ROOT),
        "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers), "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning", "LOG_LEVEL": "WARNING",
    }


_STARTED = time.monotonic()


def step(message: str) -> None:
    print(f"· {time.monotonic() - _STARTED:5.0f} s  {message}", flush=True)


def prepare(env: dict[str, str], communities: int, workers: int) -> None:
    def manage(*args: str, timeout: int = 600) -> None:
        subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True, timeout=timeout)

    step("建库、迁移")
    recreate(env["DATABASE_URL"])
    manage("migrate", "--noinput", "-v", "0")
    step("生成模拟省份")
    manage("generate_province", "--communities", str(communities))
    step("收集静态文件")
    manage("collectstatic", "--noinput", "-v", "0")
    step(f"准备 {workers} 个已登录的社区工作人员")
    subprocess.run([sys.executable, "-m", "bench.loadtest.seed", "--workers", str(workers),
                    "--out", str(OUT / "plan.json")], env=env, cwd=ROOT, check=True, timeout=600)


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    log = open(OUT / "gunicorn.log", "w")  # noqa: SIM115 (closed with the process)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "smartsite.wsgi"],
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
    raise SystemExit("gunicorn 未能在 60 秒内启动，见 var/loadtest/gunicorn.log")


def run_locust(port: int, workers: int, seconds: int) -> None:
    env = {**os.environ, "LOADTEST_PLAN": str(OUT / "plan.json"), "LOADTEST_ACKS": str(OUT / "acks.json")}
    args = [sys.executable, "-m", "locust", "-f", "bench/loadtest/locustfile.py", "--headless",
            "-u", str(workers), "-r", str(workers), "-t", f"{seconds}s", "--stop-timeout", "20",
            "--host", f"http://127.0.0.1:{port}", "--json-file", str(OUT / "stats"), "--only-summary",
            "--loglevel", "WARNING"]
    # locust exits 1 when any request failed; that is reported below, not raised here.
    subprocess.run(args, env=env, cwd=ROOT, timeout=seconds + 120)


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)  # graceful: in-flight requests finish
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def percentile(histogram: dict[float, int], share: float) -> int:
    """Return the response time (ms) below which `share` of the requests finished."""
    total, seen = sum(histogram.values()), 0
    for millis in sorted(histogram):
        seen += histogram[millis]
        if seen >= share * total:
            return round(millis)
    return 0


def figures(entries: list[dict], seconds: float) -> dict:
    histogram: dict[float, int] = {}
    for entry in entries:
        for millis, count in entry["response_times"].items():
            histogram[float(millis)] = histogram.get(float(millis), 0) + count
    requests = sum(e["num_requests"] for e in entries)
    return {"requests": requests, "failures": sum(e["num_failures"] for e in entries),
            "rps": round(requests / seconds, 1), "p50_ms": percentile(histogram, 0.50),
            "p95_ms": percentile(histogram, 0.95), "max_ms": round(max(e["max_response_time"] for e in entries))}


def stats() -> dict:
    """Read locust's final statistics (--json-file, which appends ".json"): overall and per request type."""
    entries = json.loads((OUT / "stats.json").read_text(encoding="utf-8"))
    seconds = max(e["last_request_timestamp"] for e in entries) - min(e["start_time"] for e in entries)
    return {**figures(entries, seconds), "measured_seconds": round(seconds, 1),
            "by_request": {e["name"]: figures([e], seconds) for e in entries}}


def main() -> None:
    parser = argparse.ArgumentParser(description="load test of issue 6 (127.0.0.1 only, bounded)")
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--server-workers", type=int, default=4, help="gunicorn processes (4 threads each)")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 600 or not 1 <= args.workers <= 200:
        raise SystemExit("--seconds 须在 1–600 之间，--workers 须在 1–200 之间")
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    with database() as base:
        if not os.environ.get("LOADTEST_DATABASE_URL"):
            step(f"临时 PostgreSQL 已启动：{base}（结束后删除）")
        report = run(args, database_url(base))
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_report(report)
    bad = report["failures"] + report["server_errors"] + sum(
        v for k, v in report["verify"].items() if not k.startswith(("acknowledged", "resent", "conflicts_refused")))
    sys.exit(1 if bad else 0)


def run(args, url: str) -> dict:
    """Prepare the database, serve, load, stop and verify; return the report."""
    port = free_port()
    env = server_env(url, secrets.token_urlsafe(50), port, args.server_workers)
    prepare(env, args.communities, args.workers)
    step(f"启动 gunicorn（127.0.0.1:{port}，{args.server_workers} 进程 × 4 线程）")
    server = start_gunicorn(env, port)
    try:
        step(f"{args.workers} 个工作人员保存指标、上传照片，持续 {args.seconds} 秒")
        run_locust(port, args.workers, args.seconds)
    finally:
        stop(server)
    step("核对：每个已确认的保存与照片都在数据库中，且只有一份")
    done = subprocess.run([sys.executable, "-m", "bench.loadtest.verify", "--plan", str(OUT / "plan.json"),
                           "--acks", str(OUT / "acks.json")], env=env, cwd=ROOT, check=True, capture_output=True,
                          text=True, timeout=300)
    server_errors = (OUT / "gunicorn.log").read_text(encoding="utf-8", errors="replace").count("Traceback")
    return {"database": "postgresql", "workers": args.workers, "seconds": args.seconds,
            "gunicorn": f"{args.server_workers}x4 gthread", "cpus": os.cpu_count(), **stats(),
            "server_errors": server_errors, "verify": json.loads(done.stdout.strip().splitlines()[-1])}


def print_report(r: dict) -> None:
    v = r["verify"]
    print(f"\n请求 {r['requests']} 次，失败 {r['failures']}，服务器异常 {r['server_errors']}；"
          f"吞吐 {r['rps']} 次/秒；p50 {r['p50_ms']} ms，p95 {r['p95_ms']} ms，最长 {r['max_ms']} ms")
    for name, f in r["by_request"].items():
        print(f"  {name:<28} {f['requests']:>6} 次  失败 {f['failures']:<3} {f['rps']:>6}/s  "
              f"p50 {f['p50_ms']:>5} ms  p95 {f['p95_ms']:>5} ms")
    print(f"已确认保存 {v['acknowledged_saves']}（重发 {v['resent_saves']}），照片 {v['acknowledged_photos']}"
          f"（重发 {v['resent_photos']}）；丢失保存 {v['lost_saves']}，重复应用 {v['resends_applied_twice']}，"
          f"重复修订 {v['duplicate_revisions']}，无回执修改 {v['unreceipted_changes']}，"
          f"末次写入不符 {v['last_write_mismatch']}，丢失照片 {v['lost_photos']}，重复照片 {v['duplicate_photos']}")
    print(f"同一请求号改动内容后重发 {v['conflicts_refused']} 次，均应被拒（409），被误用 {v['conflicts_applied']}")
    print(f"已写入 {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
