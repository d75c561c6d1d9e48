"""`make bench-uploads`: another community's save while five 49 MP PNGs are being processed (issue 11, finding 3).

    python -m bench.uploads [--uploads 5] [--keep]

Builds var/bench-uploads/ (the demo city; SQLite, or with DATABASE_URL=postgres://… its own database
<name>_bench_uploads, dropped and recreated), starts gunicorn with deploy/gunicorn.conf.py (2 processes × 4
threads unless GUNICORN_WORKERS/THREADS say otherwise) and the benchmark settings, then five workers of five
communities each upload a 7000×7000 RGB PNG at once while a worker of a sixth community saves an answer every
0.1 s. Writes bench/results-uploads.json (and results-uploads-<database>.json): the save latency before and
during the uploads (median, max), each upload's status and time, and the server's tracebacks. Target: every
save during the uploads answers within 0.5 s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

from .databases import ROOT, engine, recreate
from .phone import free_port, stop

OUT = ROOT / "var" / "bench-uploads"
RESULTS = ROOT / "bench" / "results-uploads.json"
SIDE = 7000
TARGET_S = 0.5
CSRF = "benchcsrftoken00" * 2  # any 32 alphanumerics: the cookie and the header only have to agree
LIGHTS = {"smart_lights": "60", "public_lights": "100", "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"}
SETUP = """
import json
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from communities.models import CommunityPage, Role
from communities.roles import assign
from audit.actors import system
codes = list(CommunityPage.objects.filter(street__kind="subdistrict").order_by("code").values_list("code", flat=True))
out = []
for n, code in enumerate(codes[:{count}]):
    user, _ = get_user_model().objects.get_or_create(username=f"bench-worker-{{n}}")
    if not user.assignments.exists():
        assign(user, Role.WORKER, CommunityPage.objects.get(code=code), by=system("bench"))
    session = SessionStore()
    session.update({{SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash()}})
    session.create()
    out.append({{"code": code, "session": session.session_key}})
print(json.dumps(out))
"""


def step(message: str) -> None:
    print(f"· {message}", flush=True)


def database_url() -> str:
    base = os.environ.get("DATABASE_URL")
    if engine(base) == "sqlite":
        return f"sqlite:///{OUT / 'db.sqlite3'}"
    head, _, name = base.rpartition("/")
    return f"{head}/{name or 'zhsq'}_bench_uploads"


def environment(url: str, port: int) -> dict[str, str]:
    return {
        **os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT),
        "MEDIA_ROOT": str(OUT / "media"), "ALLOWED_HOSTS": "127.0.0.1,localhost", "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "2"), "GUNICORN_THREADS": os.environ.get(
            "GUNICORN_THREADS", "4"), "GUNICORN_ACCESS_LOG": "", "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_TIMEOUT": "120", "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True, timeout=900,
                          capture_output=True, text=True)
    return done.stdout


def prepare(env: dict[str, str], url: str) -> None:
    step(f"建库并生成示范市（{engine(url)}）")
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    recreate(url)
    # The demo's public passwords need development mode to be seeded; the server then runs without it.
    dev = {**env, "DJANGO_SETTINGS_MODULE": "smartsite.settings.dev", "DEBUG": "1"}
    for args in (("migrate", "--noinput", "-v", "0"), ("load_standard",), ("open_round", "2026", "--name", "2026年度"),
                 ("seed_demo",)):
        manage(dev, *args)


def png_49mp() -> bytes:
    """A 7000×7000 RGB picture with gradients and shapes, as a PNG: accepted, and a second or more of work."""
    sys.path.insert(0, str(ROOT))
    from tests.checklists.photo_factory import encode, make_pattern

    return encode(make_pattern(SIDE, SIDE, seed=7), "PNG")


def request(url: str, session: str, body: bytes, content_type: str) -> tuple[int, float, dict]:
    headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF, "Accept": "application/json",
               "Content-Type": content_type, "Referer": url}
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers), timeout=120) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    elapsed = time.perf_counter() - started
    try:
        return status, elapsed, json.loads(text)
    except ValueError:
        return status, elapsed, {}


def multipart(photo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="client_id"\r\n\r\n{uuid.uuid4()}\r\n'.encode())
    body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="big.png"\r\n'
               "Content-Type: image/png\r\n\r\n".encode())
    body.write(photo + f"\r\n--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def save(base: str, user: dict, n: int) -> tuple[int, float]:
    """Save a new value on the saver's item, based on the revision the last save answered."""
    payload = {"request_id": str(uuid.uuid4()), "base_revision": user.get("revision", 0), "round": "2026",
               "values": {**LIGHTS, "smart_lights": str(60 + n % 30)}, "not_applicable": {}, "note": ""}
    status, elapsed, data = request(f"{base}/c/{user['code']}/items/8/save/", user["session"],
                                    json.dumps(payload).encode(), "application/json")
    if status == 200:
        user["revision"] = data["item"]["revision"]
    elif status == 409 and "theirs" in data:  # a reused database: carry on from its revision
        user["revision"] = data["theirs"]["revision"]
    return status, elapsed


def measure(base: str, users: list[dict], photo: bytes) -> dict:
    saver, uploaders = users[-1], users[:-1]
    save(base, saver, 0)  # warm both the processes and the item (and learn its revision)
    save(base, saver, 0)
    before = [save(base, saver, n) for n in range(1, 11)]
    uploads: list[tuple[int, float, str]] = []

    def send(user: dict) -> None:
        body, kind = multipart(photo)
        status, elapsed, data = request(f"{base}/c/{user['code']}/items/2/photos/", user["session"], body, kind)
        uploads.append((status, elapsed, data.get("code", "")))

    threads = [threading.Thread(target=send, args=(u,)) for u in uploaders]
    for thread in threads:
        thread.start()
    during, n = [], 100
    while any(t.is_alive() for t in threads):
        during.append(save(base, saver, n))
        n += 1
        time.sleep(0.1)
    for thread in threads:
        thread.join()
    times = [t for status, t in during if status == 200]
    return {
        "save_before_median_ms": round(statistics.median(t for status, t in before if status == 200) * 1000, 1),
        "saves_during": len(during), "saves_during_failed": sum(status != 200 for status, _ in during),
        "save_during_median_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "save_during_max_ms": round(max(times) * 1000, 1) if times else None,
        "uploads": [{"status": status, "s": round(t, 2), "code": code}
                    for status, t, code in sorted(uploads, key=lambda u: u[1])],
    }


def start(env: dict[str, str], port: int) -> subprocess.Popen:
    log = open(OUT / "gunicorn.log", "w")  # noqa: SIM115 (closed with the process)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "smartsite.wsgi"],
                              env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sw.js", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    stop(server)
    raise SystemExit("gunicorn 未能在 60 秒内启动，见 var/bench-uploads/gunicorn.log")


def main() -> None:
    parser = argparse.ArgumentParser(description="Saves while big photos are processed (issue 11)")
    parser.add_argument("--uploads", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse var/bench-uploads/ and its database")
    args = parser.parse_args()
    port, url = free_port(), database_url()
    env = environment(url, port)
    if not (args.keep and OUT.exists()):
        prepare(env, url)
    users = json.loads(manage(env, "shell", "-c", SETUP.format(count=args.uploads + 1)).strip().splitlines()[-1])
    step(f"生成 {SIDE}×{SIDE} PNG")
    photo = png_49mp()
    step(f"启动 gunicorn（127.0.0.1:{port}，{env['GUNICORN_WORKERS']} 进程 × {env['GUNICORN_THREADS']} 线程）")
    server = start(env, port)
    try:
        step(f"{args.uploads} 张 49MP PNG 同时上传，另一社区每 0.1 秒保存一次")
        results = {"database": engine(url), "photo_bytes": len(photo), "photo_pixels": f"{SIDE}x{SIDE}",
                   **measure(f"http://127.0.0.1:{port}", users, photo)}
    finally:
        stop(server)
    results["server_errors"] = (OUT / "gunicorn.log").read_text(encoding="utf-8", errors="replace").count("Traceback")
    results["gunicorn"] = f"{env['GUNICORN_WORKERS']} workers × {env['GUNICORN_THREADS']} threads"
    results["machine"] = f"{os.cpu_count()} CPU · Python {platform.python_version()}"
    worst = results["save_during_max_ms"]
    results["target_met"] = bool(worst is not None and worst < TARGET_S * 1000 and not results["saves_during_failed"])
    payload = json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    RESULTS.write_text(payload, encoding="utf-8")
    (RESULTS.parent / f"results-uploads-{results['database']}.json").write_text(payload, encoding="utf-8")
    print(payload)


if __name__ == "__main__":
    main()
