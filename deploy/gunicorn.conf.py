"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py smartsite.wsgi` (see `make prod`).

Every value can be overridden from the environment, so the same file serves one small VM or many app servers
behind a load balancer. App servers keep no local state (sessions, files and tasks live in PostgreSQL and the
object store), so any number of them can run side by side.
"""

import multiprocessing
import os

pythonpath = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "site")
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads let a worker overlap database and object-storage waits; a 12 MP photo is ~0.1-0.3 s of CPU,
# so a few processes per core keep saves flowing while photos are being processed.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then so a slow leak in any library never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The app is behind a reverse proxy / load balancer that terminates TLS; trust its forwarded headers only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Worker heartbeat files on RAM-backed /dev/shm: a slow disk must never make gunicorn kill a busy worker.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn's control socket (gunicornc) defaults to one path per user, which two instances on a host would fight
# over (the load test runs beside `make prod`); give each instance its own path to enable it.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
