"""One language per screen: which language a request gets, and the phone scripts' JavaScript catalog.

Chinese is the source language (the msgids are the Chinese wording people read today) and the default. A person
gets English only by choosing it: on the phone pages with the language switcher (Django's ``set_language``, which
sets the language cookie), in the admin with Wagtail's own preference (account → 偏好设置), which Wagtail applies
to its frame and to every admin view, ours included. The browser's Accept-Language is not a choice: a shared office
PC or a phone bought with an English system would otherwise switch the official wording, and the phone's offline
copies would depend on a header the service worker does not vary on.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers, quote_etag
from django.utils.translation import trans_real
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

# The apps whose djangojs catalogs the phone scripts need; the project's locale/ (LOCALE_PATHS) always comes too.
PHONE_SCRIPT_PACKAGES = ["smartsite"]


def chosen_language(request) -> str:
    """Return the language the person chose (the language cookie), else the default, Chinese."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


# Distinct msgids a language's lookups remember: the product has ~1,800, Django's and Wagtail's some thousands more.
REMEMBERED_MSGIDS = 8192


def remember_lookups(language: str):
    """Make `language`'s catalog remember what each msgid gave, hit or miss, for the life of its catalog object.

    Chinese is the source language, so the zh-hans catalog holds only Django's and Wagtail's strings: every one of
    ours misses, and a miss walks the whole chain (16 merged catalogs, then 8 fallback catalogs of the installed
    packages) before gettext returns the msgid, ~650 times per phone checklist (ngettext likewise, 25 times). The
    catalogs are read once per process and never change in place (a changed .mo file makes Django build new
    catalog objects, which start with nothing remembered), so a remembered answer is the one the chain would give.
    Returns the catalog.
    """
    catalog = trans_real.translation(language)
    if "gettext" not in vars(catalog):  # the class's methods: not yet remembering
        catalog.gettext = lru_cache(maxsize=REMEMBERED_MSGIDS)(catalog.gettext)
        # ngettext's miss is dearer still (each merged catalog's plural formula is evaluated); n is a small count.
        catalog.ngettext = lru_cache(maxsize=REMEMBERED_MSGIDS)(catalog.ngettext)
    return catalog


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, deciding by the person's choice only (never by Accept-Language)."""

    def process_request(self, request):
        language = chosen_language(request)
        remember_lookups(language)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The language comes from the cookie, so shared caches must keep one copy per cookie, not per header.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


_phone_catalog = JavaScriptCatalog.as_view(packages=PHONE_SCRIPT_PACKAGES)


@gzip_page
@require_GET
def javascript_catalog(request, language: str):
    """Serve the phone scripts' catalog (gettext, ngettext, formats) for `language`, named in the address.

    One address per language, so the service worker can keep both in its app shell and a phone that switches
    language offline still has the right one; the catalog changes only with a deployment, whose new shell
    version makes the phone fetch it again.
    """
    from checklists.selectors.offline import build_version  # the phone's deployment version

    if language not in dict(settings.LANGUAGES):
        raise Http404
    etag = quote_etag(f"{build_version()}-{language}")
    if unchanged := get_conditional_response(request, etag=etag):
        return unchanged
    with translation.override(language):
        response = _phone_catalog(request)
    response["Cache-Control"] = "no-cache"  # asked again each time, answered 304 until the next deployment
    response["ETag"] = etag
    response["Content-Language"] = language
    return response
