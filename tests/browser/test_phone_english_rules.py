"""A worker who chose English, in Chromium: the standard's rule messages in English while typing (eval.js with the
phone's catalog) and as the server says them after the save, while the stored record stays in Chinese; the
service worker's offline page in English; a printable QR sheet in English."""

import re

import pytest

from checklists.models import ItemResult
from tests.browser.conftest import login, wait_for
from tests.browser.test_phone_offline import kept_offline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ENGLISH = {"name": "django_language", "value": "en"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def english_phone(phone, live_server, **options):
    context = phone(**options)
    context.add_cookies([{**ENGLISH, "url": live_server.url}])
    return context


def type_into(page, name, value):
    field = page.locator(f'#item-8 input[name="v.{name}"]')
    field.fill(value)
    field.dispatch_event("change")


def test_rule_messages_in_english_live_and_after_save(live_server, phone, round_, community):
    page = english_phone(phone, live_server, service_workers="block").new_page()
    item = f"/c/{community.code}/items/8/"
    login(page, live_server.url, item)
    assert page.locator("html").get_attribute("lang") == "en"
    rule = page.locator('#item-8 li[data-rule="smart_lighting_rate"]')
    type_into(page, "smart_lights", "59")
    type_into(page, "public_lights", "100")
    # Live, before any answer from the server: eval.js in English (the standard's own label stays as written).
    page.wait_for_function("""() => document.querySelector('#item-8 li[data-rule="smart_lighting_rate"]')
                              .textContent.includes('59.00% is below 60%')""")
    assert "未达到" not in rule.inner_text()
    saved = wait_for(lambda: (r := ItemResult.objects.filter(community=community, item_number=8).first())
                     and r.values.get("public_lights") == "100" and r, message="autosave")
    # The record stays in the source language, whoever saved it.
    messages = [r["message"] for r in saved.evaluation["rules"]]
    assert "智能照明设备安装率达到60%以上：59.00% 未达到 60%" in messages
    # The server's own rendering of the saved item, for this English reader.
    html = page.request.get(live_server.url + item).text()
    assert "智能照明设备安装率达到60%以上: 59.00% is below 60%" in html
    assert "Not filled in: " in html and "未填写" not in html
    page.reload()
    assert "59.00% is below 60%" in rule.inner_text()


def test_offline_page_in_english(live_server, phone, round_, community):
    context = english_phone(phone, live_server)
    page = context.new_page()
    login(page, live_server.url, f"/c/{community.code}/")
    kept_offline(page)
    item = f"/c/{community.code}/items/3/"
    # One of the kept pages that has not reached the phone yet (dropped from the service worker's cache).
    assert page.evaluate(f"() => caches.open('zhsq-pages').then((cache) => cache.delete('{item}'))")
    context.set_offline(True)
    response = page.goto(live_server.url + item)
    assert response.status == 503 and response.from_service_worker
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.title() == "Offline"
    text = page.locator("main").inner_text()
    assert "This page has not been saved on this phone yet" in text, text
    assert not CHINESE.search(text), text
    page.get_by_role("link", name="Back to the home page").click()
    page.wait_for_url(live_server.url + "/")

