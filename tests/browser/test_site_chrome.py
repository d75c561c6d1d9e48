"""The parts every screen shares, in Chromium: the phone's language switcher (to English and back, a 44 px target),
no request to an outside host (no Gravatar) and no broken avatar in the admin, and the favicon."""

from urllib.parse import urlsplit

import pytest

from devtools.demo_pilots import seed_demo_pilots
from tests.browser.conftest import login
from tests.browser.waits import loaded_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def test_phone_language_switcher(live_server, phone, round_, demo):
    page = phone(service_workers="block").new_page()
    login(page, live_server.url, "/c/379902001001/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    english = page.get_by_role("button", name="English")
    box = english.bounding_box()
    assert box["height"] >= 44 and english.get_attribute("lang") == "en"
    english.click()
    page.wait_for_url(live_server.url + "/c/379902001001/")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.get_by_role("button", name="Log out").is_visible()
    assert page.evaluate("() => typeof window.gettext === 'function' && typeof window.interpolate === 'function'")
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_function("document.documentElement.lang === 'zh-hans'")
    assert page.get_by_role("button", name="退出登录").is_visible()


def test_admin_asks_no_outside_host_and_shows_its_avatar(live_server, browser, assess):
    seed_demo_pilots(assess)  # the province user has an e-mail address
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "province")
    page.fill("#id_password", "province-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/account/")
    page.wait_for_load_state("networkidle")
    assert hosts <= {urlsplit(live_server.url).netloc, ""}, hosts
    avatars = page.locator("img.avatar, .avatar img")
    assert avatars.count() >= 1
    for i in range(avatars.count()):
        avatar = avatars.nth(i)
        assert loaded_width(avatar) > 0, avatar.get_attribute("src")
    context.close()


def test_favicon_loads(live_server, browser, db):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    assert page.locator('link[rel="icon"]').get_attribute("href") == "/favicon.ico"
    response = page.request.get(live_server.url + "/favicon.ico")
    assert response.status == 200 and response.headers["content-type"] == "image/x-icon"
    context.close()
