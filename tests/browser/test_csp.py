"""Content-Security-Policy (self only, nonces for our few inline blocks): the phone pages, the login pages, the
second-factor pages and the Wagtail admin load in Chromium without a single policy violation."""

import pytest
from django.contrib.auth import get_user_model

from checklists.services import answer_save
from communities.models import CommunityPage
from tests.browser.conftest import login
from tests.checklists.photo_factory import make_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script (Playwright injects it outside the page's CSP) and keeps every violation event.
RECORD = """document.addEventListener("securitypolicyviolation", (e) => {
  (window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
}, true);"""


def watched(context):
    """A page whose CSP reports (console and securitypolicyviolation events) end up in `page.csp_reports`."""
    context.add_init_script(RECORD)
    page = context.new_page()
    reports = []
    page.on("console", lambda m: reports.append(m.text) if "Content Security Policy" in m.text else None)
    page.csp_reports = reports
    return page


def violations(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return (page.evaluate("window.__csp || []") or []) + page.csp_reports


def visit(page, url):
    page.csp_reports.clear()
    response = page.goto(url)
    assert response.ok, (url, response.status)
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    return violations(page)


def test_login_and_phone_pages_have_no_violation(live_server, phone, round_, community, settings):
    settings.SITE_URL = live_server.url
    worker = get_user_model().objects.get(username="worker")
    answer_save(round_=round_, community=community, item_number=8, user=worker, values={"smart_lights": "3"})
    page = watched(phone())
    assert visit(page, live_server.url + "/login/") == []
    login(page, live_server.url, f"/c/{community.code}/")
    assert violations(page) == [], "checklist"
    assert page.evaluate("document.documentElement.className") == "js"  # the nonce'd inline script ran
    assert visit(page, f"{live_server.url}/c/{community.code}/items/8/") == []
    page.locator('#item-8 input[name="v.smart_lights"]').fill("60")
    page.locator('#item-8 input[name="v.smart_lights"]').dispatch_event("change")
    page.set_input_files("#item-8 input[type=file]", files=[
        {"name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": make_jpeg(320, 240, pattern_seed=3)}])
    page.wait_for_timeout(1500)  # the preview (a blob: image) and the upload
    assert violations(page) == [], "item with photo"
    assert visit(page, live_server.url + "/") == []


def admin_login(page, base_url, username="admin", password="admin-demo-2026"):
    assert visit(page, base_url + "/admin/login/") == []
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


ADMIN_PAGES = [
    "/admin/", "/admin/pages/", "/admin/review/", "/admin/coverage/", "/admin/coverage/city/379900/",
    "/admin/coverage/unit/379902/", "/admin/coverage/street/379902001/", "/admin/coverage/sheet/city/379900/",
    "/admin/lockouts/", "/admin/assignments/", "/admin/users/", "/admin/reports/site-history/", "/admin/jobs/",
    "/c/379902001001/qr-sheet/",
]


def test_wagtail_admin_has_no_violation(live_server, browser, round_, community):
    worker = get_user_model().objects.get(username="worker")
    result = answer_save(round_=round_, community=community, item_number=8, user=worker,
                         values={"smart_lights": "3"}).result
    page = watched(browser.new_context(locale="zh-CN"))
    admin_login(page, live_server.url)
    found = {url: visit(page, live_server.url + url) for url in ADMIN_PAGES}
    found["review detail"] = visit(page, f"{live_server.url}/admin/review/{result.pk}/")
    street = CommunityPage.objects.get(pk=community.pk).get_parent()
    found["page editor"] = visit(page, f"{live_server.url}/admin/pages/{street.pk}/edit/")
    assert {url: v for url, v in found.items() if v} == {}


def test_wagtail_date_pickers_still_start(live_server, browser, demo):
    """Wagtail writes an inline <script> per date field; ours is a JSON block started by admin-csp.js."""
    page = watched(browser.new_context(locale="zh-CN"))
    admin_login(page, live_server.url)
    assert visit(page, live_server.url + "/admin/users/") == []
    field = page.locator("#id_last_login_0")
    assert field.count() == 1, "the users listing has a date-range filter"
    started = "() => !!window.jQuery(document.getElementById('id_last_login_0')).data('xdsoft_datetimepicker')"
    assert page.evaluate(started)  # the picker is attached to the field, as Wagtail's inline script would do


def test_second_factor_pages_have_no_violation(live_server, browser, demo, settings):
    settings.ADMIN_REQUIRE_2FA = True
    page = watched(browser.new_context(locale="zh-CN"))
    admin_login(page, live_server.url)
    assert "/account/2fa/setup/" in page.url
    assert violations(page) == []
    assert page.locator(".qr svg").is_visible()
