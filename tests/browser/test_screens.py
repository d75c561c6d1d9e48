"""Every screen, as each role: one language per screen and axe-core's WCAG 2.1 AA rules (issue 20).

The walk is split in PARTS fixed shares of the screens (by a checksum of the screen's key), one test each, so the
suite's two workers can each take one. Each part builds the data (tests/browser/walk_data.py) and finds every
role's screens over HTTP (tests/browser/walker.py), as the whole walk did; then it opens its own share in Chromium
— the phone's at 393×851, the admin's at 1366×768 — in a Chinese session, reads what a person reads
(tests/browser/language.py) and runs axe-core (tests/browser/axe.py) once per screen. Its converted screens are
opened again in an English session. The checks over the whole (every route walked or excused, each role reaches its
own screens, 500s) are made by each part from its full crawl; the checks per screen (stray words, axe, every
screen opened) by the part that owns the screen, known findings included, so every listed screen is checked once.

Findings inside the apps' own templates are listed in known_findings.py: a new one fails, and one that no longer
shows fails too until it is struck from the list, so the lists only shrink (the conversion pass's to-do).
"""

from __future__ import annotations

import json
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from tests.browser import known_findings, walk_data
from tests.browser.axe import AXE_JS, Finding, run_axe
from tests.browser.language import READ, Stray, latin_name_tokens, stray_han, stray_latin
from tests.browser.walker import ROLES, Visit, Walk, all_routes, crawl, excuse, fill_samples

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 393, "height": 851}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 768}}
# The phone's service worker is blocked: it would fetch every offline page of the worker in the background.
COMMON = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai", "service_workers": "block"}
# Two shares: the suite runs in two workers (README "Tests and CI"); each share pays for its own data and crawl.
PARTS = 2


def part_of(key: str) -> int:
    """The share a screen (walker.Visit.key) belongs to: fixed by its key, whatever else the walk finds."""
    return zlib.crc32(key.encode()) % PARTS


@dataclass
class Seen:
    """What the browser showed, by screen (walker.Visit.key): the stray words in each language, axe's findings."""

    walk: Walk
    part: int
    opened: dict[str, Visit] = field(default_factory=dict)
    chinese: dict[str, list[Stray]] = field(default_factory=dict)
    english: dict[str, list[Stray]] = field(default_factory=dict)
    axe: dict[str, list[Finding]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def mine(self, by_key: dict) -> dict:
        """The entries of `by_key` (a screen's key -> anything) that belong to this part."""
        return {key: value for key, value in by_key.items() if part_of(key) == self.part}


def _client(username: str | None) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is recorded with its screen, not raised
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _log_in(context, base_url: str, client: Client, language: str | None) -> None:
    """Make `context` the client's session (its cookies), in `language` (None: the default, Chinese)."""
    context.clear_cookies()
    cookies = [{"name": name, "value": morsel.value, "url": base_url} for name, morsel in client.cookies.items()]
    if language:
        cookies.append({"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url})
    if cookies:
        context.add_cookies(cookies)


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    if page.locator("#wagtail-sidebar").count():  # the admin's menu is drawn by a script
        page.wait_for_selector("#wagtail-sidebar nav", state="attached")
    page.wait_for_load_state("load")


def _look(seen: Seen, page, base: str, visits: list[Visit], names, language: str | None) -> None:
    for visit in visits:
        try:
            _open(page, base + visit.url)
            texts = page.evaluate(READ)
            if language:
                seen.english[visit.key] = stray_han(texts, names)
            else:
                seen.chinese[visit.key] = stray_latin(texts, names)
                seen.axe[visit.key] = run_axe(page)
        except Exception as exc:  # noqa: BLE001 - reported by the part's test, with the screen
            seen.errors.append(f"{visit.role} {visit.url}: {exc!r}"[:400])


def _walk(part: int, base_url: str, browser) -> Seen:
    """Build the data, find every role's screens, open this part's share in Chromium (the test's flush empties
    the database after it)."""
    clock, seen = time.monotonic(), Seen(Walk(), part)
    samples, names = fill_samples(walk_data.build()), latin_name_tokens(*walk_data.names())
    seen.seconds["data"], clock = time.monotonic() - clock, time.monotonic()
    sampled = set()
    for role, (username, seeds, _) in ROLES.items():
        seen.walk.visits += crawl(_client(username), role, seeds, samples, sampled)
    seen.seconds["crawl"], clock = time.monotonic() - clock, time.monotonic()
    seen.opened = seen.mine(seen.walk.to_open())
    # A context per viewport and language. The Chinese ones, where axe runs on every screen, get axe-core as an
    # init script: evaluated by Chromium at each load, instead of 650 KB sent through Playwright per screen (about
    # 0.2 s a screen); run_axe finds it there. The English ones do without.
    contexts = {}
    for phone, language in ((1, None), (0, None), (1, "en"), (0, "en")):
        contexts[phone, language] = browser.new_context(**COMMON, **(PHONE if phone else DESKTOP))
        if language is None:
            contexts[phone, language].add_init_script(path=str(AXE_JS))
    try:
        pages = {key: context.new_page() for key, context in contexts.items()}
        for role, (username, _, phone) in ROLES.items():
            mine = [v for v in seen.opened.values() if v.role == role]
            converted = [v for v in mine if v.key in known_findings.CONVERTED]
            client = _client(username)
            for visits, language in ((mine, None), (converted, "en")):
                if visits:
                    _log_in(contexts[phone, language], base_url, client, language)
                    _look(seen, pages[phone, language], base_url, visits, names, language)
    finally:
        for context in contexts.values():
            context.close()
    seen.seconds["browser"] = time.monotonic() - clock
    _report(seen)
    print(f"\nscreen walk, part {part + 1} of {PARTS}: {len(seen.walk.visits)} addresses asked, "
          f"{len(seen.opened)} screens opened; seconds " + ", ".join(f"{k} {v:.0f}" for k, v in seen.seconds.items()))
    return seen


def _report(seen: Seen) -> None:
    """Write everything the part found to var/screen-walk-<part>.json (1, 2, …): the conversion pass's list, with
    examples and targets."""
    report = {
        "seconds": seen.seconds,
        "screens": {key: {"role": v.role, "url": v.url} for key, v in seen.opened.items()},
        "chinese": {key: [str(s) for s in strays] for key, strays in seen.chinese.items() if strays},
        "english": {key: [str(s) for s in strays] for key, strays in seen.english.items() if strays},
        "axe": {key: [str(f) for f in found] for key, found in seen.axe.items() if found},
        "routes": {v.url: v.status for v in seen.walk.visits},
    }
    out = Path(settings.BASE_DIR) / "var" / f"screen-walk-{seen.part + 1}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def _words(found: dict[str, list[Stray]]) -> dict[str, set[str]]:
    return {key: {s.words for s in strays} for key, strays in found.items() if strays}


def _diff(found: dict[str, set[str]], known: dict[str, set[str]]) -> tuple[dict, dict]:
    """Return what is found but not known, and what is known but no longer found ({"*"}: anything, while any)."""
    new = {r: sorted(w - known.get(r, set())) for r, w in found.items()
           if "*" not in known.get(r, set()) and w - known.get(r, set())}
    gone = {r: sorted(w - found.get(r, set())) for r, w in known.items()
            if (w - found.get(r, set()) if "*" not in w else not found.get(r))}
    return new, gone


def every_screen_opened(seen: Seen) -> None:
    assert seen.errors == []
    server_errors = {v.route for v in seen.walk.visits if v.status >= 500}
    assert server_errors == known_findings.SERVER_ERRORS, [
        f"{v.role} {v.url} {v.status}" for v in seen.walk.visits if v.status >= 500]
    for role in ROLES:
        assert seen.walk.screens(role), f"{role} reached no screen"


def every_route_is_walked_or_excused(seen: Seen) -> None:
    """A route no role reached (by a link, the menu or a sample) and no reason excuses is a screen left unchecked."""
    walked = seen.walk.walked_routes()
    missing = [route for route in all_routes() if route not in walked and not excuse(route)]
    assert not missing, f"add an address to walker.SAMPLES (or a reason to walker.EXCUSED): {missing}"


def chinese_screens_show_no_stray_latin(seen: Seen) -> None:
    """In a zh-hans session no screen shows Latin text other than codes, units and names (language.py)."""
    new, gone = _diff(_words(seen.chinese), seen.mine(known_findings.LATIN))
    examples = {key: [str(s) for s in seen.chinese[key] if s.words in words][:3] for key, words in new.items()}
    assert not new, f"English on a Chinese screen (fix it, or list it in known_findings.LATIN): {new} {examples}"
    assert not gone, f"fixed: strike these from known_findings.LATIN: {gone}"


def english_screens_show_no_stray_chinese(seen: Seen) -> None:
    """In an English session the converted screens show no Chinese other than names (the list grows with the pass)."""
    assert set(known_findings.CONVERTED) <= set(seen.walk.to_open())
    found = _words(seen.english)
    assert not found, f"Chinese on an English screen: {found}"


def axe_finds_nothing_serious_or_critical(seen: Seen) -> None:
    """axe-core's WCAG 2.1 A/AA rules: 0 serious or critical on every screen, apart from the known ones."""
    found = {route: {f.rule for f in findings if f.blocking} for route, findings in seen.axe.items()}
    new, gone = _diff({r: rules for r, rules in found.items() if rules}, seen.mine(known_findings.AXE))
    details = {r: [str(f) for f in seen.axe[r] if f.rule in rules] for r, rules in new.items()}
    assert not details, f"new serious/critical accessibility findings: {details}"
    assert not gone, f"fixed: strike these from known_findings.AXE: {gone}"


def walk_reaches_each_roles_own_screens(seen: Seen) -> None:
    """The walk sees what each role's work needs: a sanity check that the crawl and the samples work."""
    routes = {role: {v.route for v in seen.walk.screens(role)} for role in ROLES}
    assert "c/<community:code>/items/<int:number>/" in routes["worker"]
    assert "admin/review/<int:pk>/" in routes["verifier"]
    assert "admin/coverage/city/<str:code>/" in routes["bureau"]
    assert "admin/pilots/batches/" in routes["province"]
    assert "admin/pilots/reviews/<int:pk>/" in routes["expert"]
    assert "admin/users/" in routes["admin"] and "login/" in routes["anonymous"]
    assert "admin/pilots/batches/" not in routes["bureau"] and "admin/users/" not in routes["province"]


CHECKS = [every_screen_opened, every_route_is_walked_or_excused, chinese_screens_show_no_stray_latin,
          english_screens_show_no_stray_chinese, axe_finds_nothing_serious_or_critical,
          walk_reaches_each_roles_own_screens]


@pytest.mark.parametrize("part", range(PARTS))
def test_screen_walk(part, live_server, browser):
    """One share of the walk; every check runs and each failure is named, so one does not hide another."""
    seen = _walk(part, live_server.url, browser)
    failed = []
    for check in CHECKS:
        try:
            check(seen)
        except AssertionError as exc:
            failed.append(f"{check.__name__}: {exc}")
    assert not failed, "\n\n".join(failed)
