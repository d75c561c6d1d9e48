"""Playwright harness: Debian's /usr/bin/chromium (Playwright's own download cannot work on these machines),
a phone-sized context (360×640, touch, zh-CN), and a live Django server. Under CI=true a browser that cannot
start fails the test instead of skipping it."""

import os
import time

import pytest
from django.db import OperationalError

from tests.conftest import between_requests

# Playwright's sync API runs an event loop in this thread; Django must still let the test touch the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
PHONE = {
    "viewport": {"width": 360, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
    "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
    "user_agent": "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/126.0.0.0 Mobile Safari/537.36",
}


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"浏览器测试无法启动（CI 环境必须能运行）：{reason}", pytrace=False)
    pytest.skip(f"browser unavailable: {reason}")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} 不存在（apt-get install chromium）")
    try:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
    except Exception as exc:  # noqa: BLE001 - any import or driver failure means no browser
        _unavailable(repr(exc))
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
    except Exception as exc:  # noqa: BLE001
        playwright.stop()
        _unavailable(repr(exc))
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def phone(browser):
    """Return a factory of fresh phone browser contexts (separate cookies and IndexedDB each)."""
    contexts = []

    def open_context(**overrides):
        context = browser.new_context(**{**PHONE, **overrides})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


def login(page, base_url: str, target: str, username: str = "worker", password: str = "worker-demo-2026"):
    """Open `target` (a QR link), get sent to the login page, log in and land back on `target`."""
    page.goto(base_url + target)
    assert "/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(base_url + target)


def wait_for(condition, timeout=15.0, message="condition"):
    """Poll the database (the live server writes from another thread) until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with between_requests():
                value = condition()
            if value:
                return value
        except OperationalError:  # a request that outlived between_requests()' wait is mid-write
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


def wait_synced(page):
    """Wait until the phone has nothing left to send but originals (which wait for Wi-Fi or the worker)."""
    page.wait_for_function("() => !document.getElementById('sync').textContent.includes('待同步')")
