"""Shared fixtures: the bundled standard, an open round, the demo city and users with roles.

`standard`, `round_` and `demo` run their real builders in the first test that asks and are replayed row for row
after that (tests/replay.py), each inside the test's own transaction. A test that needs `seed_demo` itself to run
under conditions it sets up (settings, patched code) should call it rather than ask for `demo`. For a few objects,
use tests/factories.py.
"""

import contextlib
import sys
import threading

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import connection
from django.utils import translation

from assessments.regions import region_by
from audit.actors import system
from checklists import photos
from communities.models import CommunityPage, UnitPage
from communities.roles import assign
from devtools.demo import seed_demo
from intake import images
from standards import scoring
from standards.rounds import round_open
from standards.versions import standard_save
from tests.factories import bundled_data, bundled_standard
from tests.replay import STATS, committed, replayed


@pytest.fixture
def standard(db):
    """The bundled standard, loaded as `load_standard` loads it (replayed after the first test: tests/replay.py)."""
    return bundled_standard()


@pytest.fixture
def round_(standard):
    """Round 2026, opened as `open_round` opens it (replayed after the first test, so it keeps its id)."""
    round_, _ = replayed("round-2026", lambda: round_open("2026", name="2026年度", user=system("tests")),
                         keep=lambda opened: opened[1])
    return round_


@pytest.fixture
def demo(db, settings):
    """The 示范市 register and the demo accounts (worker, verifier, bureau, admin).

    Built by `seed_demo` in the first test that asks, then replayed row for row (tests/replay.py): about 10 ms on
    SQLite and 30 ms on PostgreSQL instead of 1–2 s.
    """
    return replayed("demo", committed(seed_demo))


# --- self-assessment (assessments, pilots) -------------------------------------------------------------


@pytest.fixture
def scoring_standard(db):
    """SD-ZHCS-2019 stored as a StandardVersion, as load_standard stores it (replayed after the first build)."""
    version, _ = replayed("scoring-standard",
                          lambda: standard_save(bundled_data(scoring.BUNDLED), user=system("tests")),
                          keep=lambda saved: saved[1])
    return version


@pytest.fixture
def assess(round_, demo, scoring_standard):
    """The demo city and the open round, with the scoring standard loaded."""
    return round_


@pytest.fixture
def bureau(demo):
    """The demo bureau (示范市 379900: the city and its counties)."""
    return get_user_model().objects.get(username="bureau")


@pytest.fixture
def city(demo):
    return region_by("city", "379900")


@pytest.fixture
def county(demo):
    return region_by("county", "379921")


@pytest.fixture
def make_user(db):
    """Create a user holding `role` over each of `regions`."""

    def make(username: str, role: str | None = None, *regions, password: str = "pw-12345678"):
        user = get_user_model().objects.create_user(username=username, password=password)
        for region in regions:
            assign(user, role, region, by=system("tests"))
        return user

    return make


@pytest.fixture
def worker(demo):
    """The demo worker (communities 379902001001 and 379902001002)."""
    return get_user_model().objects.get(username="worker")


@pytest.fixture
def verifier(demo):
    """The demo verifier (units 379902 and 379903)."""
    return get_user_model().objects.get(username="verifier")


@pytest.fixture
def community(demo) -> CommunityPage:
    return CommunityPage.objects.get(code="379902001001")


@pytest.fixture
def other_unit_community(demo) -> CommunityPage:
    """A community in a unit the demo verifier is not assigned to."""
    return CommunityPage.objects.get(code="379921001001")


@pytest.fixture
def unit(demo) -> UnitPage:
    return UnitPage.objects.get(code="379902")




def _restore_wagtail_data() -> None:
    """Recreate what Wagtail's data migrations made (locale, root and home page, site, root collection)."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page, Site

    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=language)
    if Page.get_first_root_node() is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        home = root.add_child(instance=Page(title="首页", slug="home", locale=locale))
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture(autouse=True)
def wagtail_initial_data(request):
    """Give transactional tests (live server, background workers) the Wagtail data migrations create.

    Each transactional test ends with a flush that empties every table; post_migrate brings back content types,
    permissions and role groups, but the Wagtail root page, site, locale and root collection come from data
    migrations, so the next transactional test would find no tree to build the region pages under.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if transactional or {"live_server", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        # A live-server request still running during the previous flush can leave stale ids in ContentType's
        # process-wide cache, which Wagtail's reference index would then write.
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        _restore_wagtail_data()
        if "live_server" in request.fixturenames:
            # Torn down before the flush (set up after the database): a request the browser left running would
            # otherwise hold SQLite's shared-cache table lock and fail the flush ("database table is locked").
            request.addfinalizer(_wait_for_idle_server)


class _InFlight:
    """Requests the live server is handling now, by thread, seen through Django's own request signals (the test
    Client's are sent by ClientHandler, not a WSGIHandler, and are not counted).

    For an in-memory SQLite database the live server's threads use the test's own connection (pytest-django
    shares it), so two requests at once (a photo upload beside the service worker's page fetches), or a query
    from the test while a request runs, interleave statements on one connection and one of them fails with
    "database table is locked". There the server takes one request at a time; and `quiet()` lets the test read
    or write between requests: it waits until none is running and holds new ones at their start until done.
    Every wait is bounded and a thread that died mid-request no longer counts, so nothing can hang the suite;
    a request that had to go ahead anyway is named on stderr."""

    gate = threading.Condition()
    running: dict[int, str] = {}  # thread id -> the path it is serving
    held = False

    @staticmethod
    def served(sender) -> bool:
        return isinstance(sender, type) and issubclass(sender, WSGIHandler)

    @classmethod
    def busy(cls) -> bool:
        alive = {thread.ident for thread in threading.enumerate()}
        for ident in [ident for ident in cls.running if ident not in alive]:
            del cls.running[ident]
        return bool(cls.running)

    @classmethod
    def started(cls, sender, environ=None, **kwargs):
        if not cls.served(sender):
            return
        path = (environ or {}).get("PATH_INFO", "?")
        one_at_a_time = connection.vendor == "sqlite" and connection.is_in_memory_db()
        with cls.gate:
            if not cls.gate.wait_for(lambda: not cls.held and not (one_at_a_time and cls.busy()), timeout=10):
                sys.stderr.write(f"live server: {path} went ahead of {sorted(cls.running.values())}\n")
            cls.running[threading.get_ident()] = path

    @classmethod
    def finished(cls, sender, **kwargs):
        if cls.served(sender):
            with cls.gate:
                cls.running.pop(threading.get_ident(), None)
                cls.gate.notify_all()

    @classmethod
    @contextlib.contextmanager
    def quiet(cls, timeout: float = 10.0):
        with cls.gate:
            cls.gate.wait_for(lambda: not cls.busy() and not cls.held, timeout=timeout)
            cls.held = True
        try:
            yield
        finally:
            with cls.gate:
                cls.held = False
                cls.gate.notify_all()


request_started.connect(_InFlight.started, dispatch_uid="tests-in-flight-started")
request_finished.connect(_InFlight.finished, dispatch_uid="tests-in-flight-finished")
between_requests = _InFlight.quiet


def _wait_for_idle_server(timeout: float = 10.0) -> None:
    with _InFlight.quiet(timeout):
        pass


@pytest.fixture(autouse=True)
def default_language():
    """Start and leave every test in the default language: a request in English (LocaleMiddleware) activates it
    for the whole thread, and the tests after it would read English where they expect Chinese."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def in_english():
    """Return a function that gives a client the English language cookie (default_language puts Chinese back)."""
    def choose(client):
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return choose


def pytest_sessionstart(session):
    """Compile the translation catalogs a checkout's `make setup` has not compiled yet (locale/README.md)."""
    from django.utils.translation.reloader import translation_file_changed

    from smartsite.catalogs import compile_catalogs

    compiled, _tool = compile_catalogs()
    if compiled:
        # Django may have read the old catalogs while pytest-django set it up: read the new ones, as runserver does.
        translation_file_changed(None, compiled[0].with_suffix(".mo"))


def pytest_terminal_summary(terminalreporter):
    """Say how often each recorded build was replayed rather than run (tests/replay.py)."""
    if STATS:
        counts = ", ".join(f"{key} {s['replayed']}/{s['replayed'] + s['built']}" for key, s in sorted(STATS.items()))
        terminalreporter.write_line(f"replayed builds: {counts}")
        if terminalreporter.verbosity > 0:
            for key, s in sorted(STATS.items()):
                for reason in s["stale"]:
                    terminalreporter.write_line(f"  {key} built again: {reason[:200]}")


# --- pictures -------------------------------------------------------------------------------------------------


@pytest.fixture
def decode_spy(monkeypatch):
    """Record how many transactions were open around each decode (intake.images.decode: every path's) and each
    phone photo's render (0: none but the test's own)."""
    baseline = len(connection.atomic_blocks)
    depths: list[int] = []

    def spy(real):
        def wrapped(*args, **kwargs):
            depths.append(len(connection.atomic_blocks) - baseline)
            return real(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(images, "decode", spy(images.decode))
    monkeypatch.setattr(photos, "_render", spy(photos._render))
    return depths
