"""Tests: fast hashing, isolated media, tasks run immediately."""

import os
import tempfile

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("DEVTOOLS", "1")
os.environ.setdefault("SECRET_KEY", "test-secret-key")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="zhsq-media-"))  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns when it is missing)
# Django's test client login() calls authenticate() without a request, which django-axes refuses; this backend
# lets such calls through unthrottled and locks out real logins (they always carry a request) as production does.
AUTHENTICATION_BACKENDS = ["accounts.backends.RequestOptionalLockoutBackend", *AUTHENTICATION_BACKENDS[1:]]  # noqa: F405
