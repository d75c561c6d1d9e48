"""Production: everything comes from base.py and the environment; this only insists on the essentials."""

from .base import *  # noqa: F403

DEBUG = False
# Wagtail's admin shows page previews in a same-origin iframe, so X-Frame-Options stays SAMEORIGIN (base.py)
# rather than the DENY that check --deploy suggests; other origins still cannot frame the site.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
