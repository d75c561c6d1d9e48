"""Offline-first phone pages: the service worker script (served from the site root so its scope covers /c/ and
the worker's home page) and the list of pages a worker's phone keeps, with their versions."""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from intake.responses import json_refusal
from standards.rounds import open_round

from ..selectors.offline import SW_SOURCE, build_version, offline_manifest, shell_urls


def offline_page_words() -> dict[str, dict[str, str]]:
    """Return the service worker's offline page (a page not yet kept on the phone), in every language.

    The worker cannot ask the server when it needs it, so it carries each language and shows the one the
    manifest last said the person reads (the language the pages were kept in)."""
    words = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            home = format_html('<a href="{}">{}</a>', reverse("home"), _("回到首页"))
            body = format_html(
                "<h1>{}</h1><p>{}</p><p>{}</p>", _("离线"), _("这个页面还没有保存到本机，联网后才能打开。"),
                format_html(_("已保存到本机的页面（您负责社区的清单和各项指标）离线时也能打开：{home}。"), home=home),
            )
            words[code] = {"title": _("离线"), "body": str(body)}
    return words


@lru_cache(maxsize=4)
def _script(version: str) -> str:
    config = {
        "version": version, "shell": shell_urls(), "manifest": reverse("mobile:offline_manifest"),
        "home": reverse("home"), "logout": reverse("logout"), "offline": offline_page_words(),
        "language": settings.LANGUAGE_CODE,
    }
    source = Path(finders.find(SW_SOURCE)).read_text(encoding="utf-8")
    return f"self.ZHSQ = {json.dumps(config, separators=(',', ':'))};\n{source}"


@gzip_page
@require_GET
def service_worker(request):
    """Serve the service worker at /sw.js, configured with this deployment's shell files and version."""
    version = build_version()
    etag = quote_etag(version)
    if unchanged := get_conditional_response(request, etag=etag):
        return unchanged
    response = HttpResponse(_script(version), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Always asked again (answered 304 while unchanged), so a deployment's new files reach phones at once.
    response["Cache-Control"] = "no-cache"
    response["ETag"] = etag
    return response


@gzip_page
@require_GET
def manifest(request):
    """List the pages the logged-in worker's phone keeps for the open round, each with its ETag."""
    if not request.user.is_authenticated:
        return json_refusal(_("登录已失效，请重新登录（未同步的内容保存在本机）"), 401, login=reverse("login"))
    data = asdict(offline_manifest(request, open_round()))
    data["at"] = int(timezone.now().timestamp() * 1000)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    response["Cache-Control"] = "no-store"
    return response
