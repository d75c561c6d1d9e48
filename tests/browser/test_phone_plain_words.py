"""The worker's phone as issue 20 found it, in headless Chromium at 393×851: 移除 asks and can be undone (and is
absent on submitted items); the banner counts items and photos apart, says 高清原图, shows progress while an original
goes and clears when it has gone; the conflict names the same worker's other device; a worker who picks English sees
English (the templates', the phone messages' and the scripts' words)."""

import re

import pytest

from bench.phone_photo import phone_jpeg
from checklists.evidence import evidence_add
from checklists.models import Evidence
from checklists.services import answer_save, item_submit
from tests.browser.conftest import login, wait_for
from tests.browser.language import HAN
from tests.checklists.photo_factory import make_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZE = {"viewport": {"width": 393, "height": 851}}
LIGHTS = {"smart_lights": "60", "public_lights": "100", "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"}
# Every text the banner showed, in order (it changes faster than a test can look).
WATCH_BANNER = """addEventListener("DOMContentLoaded", () => {
  window.__banner = [];
  const sync = document.getElementById("sync");
  if (sync) new MutationObserver(() => window.__banner.push(sync.hidden ? "" : sync.textContent))
    .observe(sync, {childList: true, subtree: true, characterData: true, attributes: true});
});"""

# The scripts a photo needs, loaded now (the service worker would keep them; this test does not wait for it).
LOAD_PHOTO_SCRIPTS = """() => Promise.all([
  ZHSQForms.script(document.getElementById("app").dataset.photos, "ZHSQPhotos"),
  ZHSQForms.script(document.body.dataset.photoprep, "PhotoPrep")])"""


def with_photo(round_, community, worker, number=8):
    result = answer_save(round_=round_, community=community, item_number=number, user=worker, values=LIGHTS).result
    return result, evidence_add(result=result, user=worker, data=make_jpeg(320, 240, pattern_seed=5), filename="a.jpg")


def live(photo) -> bool:
    return wait_for(lambda: Evidence.objects.filter(pk=photo.pk).exists(), message="photo") and \
        Evidence.objects.get(pk=photo.pk).removed_at is None


def test_remove_asks_first_and_can_be_undone(live_server, phone, round_, community, worker):
    _, photo = with_photo(round_, community, worker)
    context = phone(**SIZE)
    context.add_init_script("window.ZHSQ_UNDO_MS = 800;")
    page = context.new_page()
    login(page, live_server.url, f"/c/{community.code}/items/8/")
    tile = page.locator(f'#item-8 .th li[data-id="{photo.pk}"]')

    tile.locator(".rm").click()  # asks; nothing is removed yet
    ask = tile.locator(".rm-ask")
    ask.wait_for()  # photos.js is loaded on first use
    assert ask.is_visible() and "移除这张照片？" in ask.inner_text()
    ask.get_by_role("button", name="取消").click()
    assert ask.count() == 0 and tile.locator("img").is_visible() and live(photo)
    assert not tile.locator("input[name=remove]").is_checked()

    tile.locator(".rm").click()
    tile.get_by_role("button", name="确认移除").click()
    undo = tile.locator(".rm-undo")
    assert "照片将被移除" in undo.inner_text() and not tile.locator("img").is_visible()
    undo.get_by_role("button", name="撤销").click()
    assert tile.locator("img").is_visible()
    page.wait_for_timeout(1200)  # past the undo window: still there
    assert live(photo)
    assert tile.locator(".rm").bounding_box()["height"] >= 44

    tile.locator(".rm").click()
    confirm = tile.get_by_role("button", name="确认移除")
    assert confirm.bounding_box()["height"] >= 44  # a thumb's target
    confirm.click()
    wait_for(lambda: Evidence.objects.get(pk=photo.pk).removed_at is not None, message="removed after the window")
    tile.wait_for(state="detached")


def test_remove_is_absent_on_a_submitted_item(live_server, phone, round_, community, worker):
    result, photo = with_photo(round_, community, worker)
    item_submit(result=result, user=worker)
    page = phone(**SIZE).new_page()
    login(page, live_server.url, f"/c/{community.code}/items/8/")
    tile = page.locator(f'#item-8 .th li[data-id="{photo.pk}"]')
    assert tile.locator("img").is_visible()
    assert tile.locator(".rm").is_hidden()  # not merely disabled: not there for the worker at all


def test_the_offline_banner_counts_items_and_photos_apart(live_server, phone, round_, community, worker):
    context = phone(**SIZE)
    page = context.new_page()
    login(page, live_server.url, f"/c/{community.code}/items/8/")
    page.evaluate(LOAD_PHOTO_SCRIPTS)
    context.set_offline(True)
    page.evaluate("dispatchEvent(new Event('offline'))")
    field = page.locator('#item-8 input[name="v.smart_lights"]')
    field.fill("61")
    field.dispatch_event("change")
    page.set_input_files("#item-8 input[type=file]", files=[
        {"name": "IMG_1.jpg", "mimeType": "image/jpeg", "buffer": make_jpeg(800, 600, pattern_seed=9)}])
    banner = page.locator("#sync")
    page.wait_for_function("() => document.getElementById('sync').textContent.includes('张照片')")
    assert re.match(r"^离线 · 1 项、1 张照片待同步 · 上次同步 ", banner.inner_text()), banner.inner_text()


def test_the_originals_banner_says_what_it_sends_shows_progress_and_clears(live_server, phone, round_, community,
                                                                         worker):
    answer_save(round_=round_, community=community, item_number=8, user=worker, values=LIGHTS)
    context = phone(**SIZE)
    context.add_init_script(WATCH_BANNER)
    page = context.new_page()
    login(page, live_server.url, f"/c/{community.code}/items/8/")
    page.set_input_files("#item-8 input[type=file]", files=[
        {"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": phone_jpeg(2000, 1500, seed=3)}])
    page.locator('#item-8 .th img[src*="/evidence/"]').wait_for(timeout=30_000)
    banner = page.locator("#sync")
    page.wait_for_function("() => document.getElementById('sync').textContent.includes('1 张高清原图待发送')")
    assert "原图待" not in banner.inner_text().replace("高清原图待", "")  # the plain words, not the jargon
    assert "高清原图待上传" in page.locator("#item-8 .th").inner_text()

    banner.get_by_role("button", name="现在发送").click()
    page.wait_for_function("() => document.getElementById('sync').hidden", timeout=30_000)  # cleared when done
    seen = page.evaluate("window.__banner")
    assert any("正在发送高清原图 1/1" in text for text in seen), seen
    assert Evidence.objects.get().original_received_at is not None


def test_a_conflict_from_the_same_worker_says_another_device(live_server, phone, round_, community, worker):
    page = phone(**SIZE).new_page()
    login(page, live_server.url, f"/c/{community.code}/items/8/")
    answer_save(round_=round_, community=community, item_number=8, user=worker, values={"smart_lights": "70"})
    field = page.locator('#item-8 input[name="v.smart_lights"]')
    field.fill("55")
    field.dispatch_event("change")
    conflict = page.locator("#item-8 .conf")
    conflict.wait_for()
    assert conflict.inner_text().startswith("您在另一台设备上于 ") and "您（另一台设备）" in conflict.inner_text()
    assert "worker" not in conflict.inner_text()
    # Column heads and labels keep whole words: no cell is a column of single letters.
    narrow = page.evaluate("""() => Array.from(document.querySelectorAll('#item-8 .conf th, #item-8 .conf td'))
        .filter((c) => c.textContent.trim().length > 3 && c.getBoundingClientRect().width < 40).length""")
    assert narrow == 0


def test_a_worker_who_picks_english_sees_english(live_server, phone, round_, community, worker):
    with_photo(round_, community, worker)
    context = phone(**SIZE)
    page = context.new_page()
    login(page, live_server.url, f"/c/{community.code}/")
    page.goto(live_server.url + "/")
    page.locator(".lang button[lang=en]").click()  # the phone's language switcher
    page.wait_for_load_state("load")
    card = page.locator(".home-c", has_text=community.title)
    text = card.inner_text()
    assert "My communities" in page.locator("h1").inner_text()
    assert "Done" in text and "Reviewed · not met" in text and "Draft · ready" in text
    assert not HAN.findall(text.replace(community.title, "")), text  # the name is data; every other word English

    page.goto(f"{live_server.url}/c/{community.code}/items/8/")
    assert "Back to all items" in page.locator(".back").inner_text()
    context.set_offline(True)
    page.evaluate("dispatchEvent(new Event('offline'))")
    field = page.locator('#item-8 input[name="v.smart_lights"]')
    field.fill("62")
    field.dispatch_event("change")
    page.wait_for_function("() => document.getElementById('sync').textContent.startsWith('Offline')")
    assert "1 item to sync" in page.locator("#sync").inner_text()  # the script's words, from the catalog
    page.locator(".th .rm").first.click()
    page.get_by_role("button", name="Remove it").wait_for()  # the confirmation opens after the tap
