"""Production: everything comes from base.py and the environment; this only insists on the essentials.

It refuses to start (ImproperlyConfigured) rather than run with debug pages, the public development key or no
key at all: base.py would otherwise pick the development key and plain cookies as soon as DEBUG=1 is set.
"""

import os

from django.core.exceptions import ImproperlyConfigured

if os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
    raise ImproperlyConfigured("DEBUG must be off in production / 生产环境不得开启 DEBUG（请删除 DEBUG 环境变量）")

from .base import *  # noqa: E402,F403
from .base import DEV_SECRET_KEY, SECRET_KEY, env_bool  # noqa: E402

if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a private random value in production, not the development key / "
        "生产环境必须设置 SECRET_KEY（随机私有值，不得使用开发密钥）"
    )

DEBUG = False
# One year of HSTS unless told otherwise; SECURE_HSTS_SECONDS=0 turns it off explicitly (e.g. while testing TLS).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
# 等保 2.0 level 3: administrators log in with a second factor unless explicitly turned off.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", True)
# Wagtail's admin shows page previews in a same-origin iframe, so X-Frame-Options stays SAMEORIGIN (base.py)
# rather than the DENY that check --deploy suggests; other origins still cannot frame the site.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
