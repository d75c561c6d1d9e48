"""The browser half of `make bench-phone`: one phone (Chromium, 360×640) visiting the production-style server,
with Chromium's network emulation on the page and on its service worker, counting encoded bytes on the wire."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import ARGS, CHROMIUM, PHONE

from .phone_photo import detailed_jpeg, phone_jpeg

USERNAME, PASSWORD = "worker", "worker-demo-2026"
KB = 1024


class ServerLog:
    """The server's access log (method, path, status, body bytes; WhiteNoise's static files log 0), by phase."""

    def __init__(self, path: Path):
        self.path = path

    def lines(self) -> list[tuple[str, str, int, int]]:
        rows = []
        for line in self.path.read_text(encoding="utf-8").splitlines() if self.path.exists() else []:
            method, path, status, size = line.split()
            rows.append((method, path, int(status), int(size) if size.isdigit() else 0))
        return rows

    def mark(self) -> int:
        time.sleep(0.3)  # let the last lines reach the file
        return len(self.lines())

    def since(self, mark: int) -> list[tuple[str, str, int, int]]:
        time.sleep(0.3)
        return self.lines()[mark:]


class PageWire:
    """The page's own requests: network emulation and encoded bytes (headers and bodies) via its CDP session."""

    def __init__(self, context, page, network: dict):
        self.bytes = 0
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.emulateNetworkConditions", network)
        self.cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event) -> None:
        self.bytes += event["encodedDataLength"]


class WorkerWire:
    """The service worker's requests (its own target): the same emulation and byte count, through the browser's
    CDP session. A worker (re)started by the browser is attached when `attach()` next runs, so its very first
    request may go unthrottled; the server log counts every request regardless."""

    def __init__(self, browser, network: dict):
        self.network, self.bytes, self.requests = network, 0, 0
        self.cdp = browser.new_browser_cdp_session()
        self.attached: set[str] = set()
        self.cdp.on("Target.receivedMessageFromTarget", self._message)
        self.cdp.send("Target.setDiscoverTargets", {"discover": True})

    def attach(self) -> None:
        for target in self.cdp.send("Target.getTargets")["targetInfos"]:
            if target["type"] != "service_worker" or target["targetId"] in self.attached:
                continue
            self.attached.add(target["targetId"])
            session = self.cdp.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": False})
            for n, (method, params) in enumerate((("Network.enable", {}),
                                                  ("Network.emulateNetworkConditions", self.network))):
                message = json.dumps({"id": n + 1, "method": method, "params": params})
                self.cdp.send("Target.sendMessageToTarget", {"sessionId": session["sessionId"], "message": message})

    def _message(self, event) -> None:
        message = json.loads(event["message"])
        if message.get("method") == "Network.loadingFinished":
            self.bytes += message["params"]["encodedDataLength"]
            self.requests += 1

    def reset(self) -> None:
        self.bytes = self.requests = 0


def wait(page, workers: WorkerWire, condition: str, timeout: float) -> None:
    """Wait for a page condition, attaching any service worker that starts meanwhile."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers.attach()
        if page.evaluate(condition):
            return
        page.wait_for_timeout(100)
    raise TimeoutError(condition)


def log_in(context, base: str) -> None:
    """Log in without loading any phone page, so the first visit starts with a cold cache."""
    form = context.request.get(base + "/login/").text()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    context.request.post(base + "/login/", headers={"Referer": base + "/login/"}, max_redirects=0, form={
        "username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/login/"})


def usable_ms(page) -> int:
    """Milliseconds from the navigation's start to DOMContentLoaded: rendered, with its (deferred) scripts run."""
    return round(page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"))


def visits(browser, base: str, code: str, network: dict, server: ServerLog) -> dict:
    context = browser.new_context(**PHONE)
    log_in(context, base)
    workers = WorkerWire(browser, network)
    page = context.new_page()
    wire = PageWire(context, page, network)
    mark = server.mark()
    page.goto(f"{base}/c/{code}/", wait_until="load")
    first = {"first_visit_usable_ms": usable_ms(page), "first_visit_fcp_ms": round(page.evaluate(
        "performance.getEntriesByName('first-contentful-paint')[0].startTime")), "first_visit_kb": 0.0}
    page.wait_for_timeout(300)
    first["first_visit_kb"] = round(wire.bytes / KB, 1)
    started = time.monotonic()
    wait(page, workers, "Number(document.body.dataset.offlinePages) > 0", 600)
    # Everything after the visit's own requests (the page and the three files it links) is the worker's.
    background = server.since(mark)[4:]
    first.update(background_requests=len(background),
                 background_bodies_kb=round(sum(row[3] for row in background) / KB, 1),
                 background_pages=int(page.evaluate("document.body.dataset.offlinePages")),
                 offline_ready_s=round(time.monotonic() - started, 1))

    page.wait_for_timeout(21_000)  # later, as a worker comes back: the list of pages is asked for again
    wire.bytes, mark = 0, server.mark()
    workers.reset()
    workers.attach()
    page.goto(f"{base}/c/{code}/", wait_until="load")
    repeat_usable = usable_ms(page)
    wait(page, workers, "Number(document.body.dataset.offlinePages) > 0", 60)
    page.wait_for_timeout(1500)
    requests = server.since(mark)
    repeat = {"repeat_visit_kb": round((wire.bytes + workers.bytes) / KB, 2), "repeat_visit_usable_ms": repeat_usable,
              "repeat_visit_requests": [f"{m} {p} {s}" for m, p, s, _ in requests]}

    context.set_offline(True)
    offline = context.new_page()
    started = time.monotonic()
    offline.goto(f"{base}/c/{code[:-1]}2/items/17/", wait_until="domcontentloaded")  # never opened before
    offline.locator("#item-17 form.f").wait_for()
    repeat.update(offline_open_ms=round((time.monotonic() - started) * 1000),
                  offline_banner=offline.locator("#sync").inner_text())
    context.close()
    return {**first, **repeat}


def _editable_item(page, base: str, code: str) -> str:
    for community in (code, code[:-1] + "2"):
        page.goto(f"{base}/c/{community}/")
        found = page.evaluate("(document.querySelector('details.item.s-draft, details.item.s-returned') || {}).id")
        if found:
            return f"{base}/c/{community}/items/{found.removeprefix('item-')}/", f"#{found}"
    raise RuntimeError("no item left to add a photo to")


def photo(browser, base: str, code: str, network: dict, work: Path, picture: bytes, name: str) -> dict:
    """Upload one photo on slow 3G: bytes and time until the verifier can review it; then its original."""
    context = browser.new_context(**PHONE)
    log_in(context, base)
    page = context.new_page()
    sent: dict[str, int] = {}

    def count(route):
        sent[route.request.url.rsplit("/", 2)[-2]] = len(route.request.post_data_buffer or b"")
        route.continue_()

    page.route("**/photos/", count)
    page.route("**/original/", count)
    url, item = _editable_item(page, base, code)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    PageWire(context, page, network)
    path = work / f"{name}.jpg"
    path.write_bytes(picture)
    before = page.locator(f"{item} .th li[data-id]").count()
    started = time.monotonic()
    page.set_input_files(f"{item} input[type=file]", str(path))
    page.locator(f"{item} .th li.pend progress").wait_for(timeout=60_000)
    prepared = round((time.monotonic() - started) * 1000)
    page.wait_for_function(f"() => document.querySelectorAll('{item} .th li[data-id]').length > {before}",
                           timeout=300_000)
    reviewable = round((time.monotonic() - started) * 1000)
    page.locator("#sync button", has_text="现在发送").click()
    page.wait_for_function("() => !document.getElementById('sync').textContent.includes('原图待发送')",
                           timeout=600_000)
    context.close()
    return {f"{name}_original_kb": round(len(picture) / KB, 1), f"{name}_upload_kb": round(sent["photos"] / KB, 1),
            f"{name}_prepare_ms": prepared, f"{name}_reviewable_ms": reviewable,
            f"{name}_original_upload_kb": round(sent.get("original", 0) / KB, 1)}


def measure(base: str, code: str, network: dict, work: Path) -> dict:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            results = visits(browser, base, code, network, ServerLog(work / "access.log"))
            results.update(photo(browser, base, code, network, work, phone_jpeg(4000, 3000), "photo"))
            results.update(photo(browser, base, code, network, work, detailed_jpeg(), "photo_detailed"))
            return results
        finally:
            browser.close()
