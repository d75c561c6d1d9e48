"""Development: DEBUG on, the embedded SQLite database, plain cookies."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
