"""Offline-first phone pages: the service worker script (served from the site root so its scope covers /c/ and
the worker's home page) and the list of pages a worker's phone keeps, with their versions."""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from intake.responses import json_refusal
from standards.rounds import open_round

from ..selectors.offline import SW_SOURCE, build_version, offline_manifest, shell_urls


@lru_cache(maxsize=4)
def _script(version: str) -> str:
    config = {
        "version": version, "shell": shell_urls(), "manifest": reverse("mobile:offline_manifest"),
        "home": reverse("home"), "logout": reverse("logout"),
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
