"""Benchmark settings: production settings with DEBUG off, plus what the in-process test client needs."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("DEVTOOLS", "1")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")

from smartsite.settings.base import *  # noqa: E402,F403

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "bench-media"))  # noqa: F405
# The manifest storage needs collectstatic; the benchmark measures views, not static files.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Jobs run in place; the division import's step queues its index job (BENCH_TASKS_BACKEND) to time it apart.
TASKS_BACKEND = os.environ.get("BENCH_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
