"""Honest states and network-friendly photos on the phone, in headless Chromium at 360×640: a submitted item is
read-only until withdrawn; 提交全部 skips an unchanged returned item and says so; a photo goes up as the phone's
display copy with the original's facts, the original later; refused files show as refused; 44 px targets."""

import hashlib
import re

import pytest

from bench.phone_photo import phone_jpeg
from checklists.decisions import item_return
from checklists.evidence import evidence_add
from checklists.models import ChecklistLogEntry, Evidence, ItemResult, Status
from checklists.services import answer_save, item_submit
from review.selectors import queue_counts
from tests.browser.conftest import login, wait_for
from tests.checklists.photo_factory import make_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LIGHTS = {"smart_lights": "60", "public_lights": "100", "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"}


def complete(round_, community, worker, number=8, values=LIGHTS):
    result = answer_save(round_=round_, community=community, item_number=number, user=worker, values=values).result
    evidence_add(result=result, user=worker, data=make_jpeg(320, 240, pattern_seed=number), filename="a.jpg")
    return result


def db(read):
    return wait_for(lambda: read() or True, message="database") and read()


def test_a_submitted_item_is_read_only_until_withdrawn(live_server, phone, round_, community, worker, verifier):
    complete(round_, community, worker)
    page = phone().new_page()
    login(page, live_server.url, f"/c/{community.code}/items/8/")
    page.click('#item-8 button[value="submit"]')
    page.get_by_text("第8项已提交审核").wait_for()
    chip = page.locator("#item-8 [data-chip]")
    assert chip.inner_text() == "待审核"
    assert not page.locator('#item-8 input[name="v.smart_lights"]').is_editable()
    assert not page.locator("#item-8 .cam").is_visible()
    assert not page.locator('#item-8 button[value="save"]').is_visible()
    assert "撤回修改" in page.locator("#item-8 [data-lock]").inner_text()
    assert queue_counts(verifier, round_)["submitted"] == 1

    page.click("#item-8 .wd > summary")  # 撤回修改: the confirmation opens
    confirm = page.locator('#item-8 button[value="withdraw"]')
    assert confirm.is_visible() and "退出审核队列" in page.locator("#item-8 .wd").inner_text()
    confirm.click()
    page.get_by_text("已退出审核队列").wait_for()
    assert chip.inner_text() == "草稿·可提交" and page.locator('#item-8 input[name="v.smart_lights"]').is_editable()
    assert page.locator("#item-8 .cam").is_visible()
    wait_for(lambda: ItemResult.objects.get(community=community, item_number=8).status == Status.DRAFT, message="draft")
    assert queue_counts(verifier, round_)["submitted"] == 0  # out of the verifier's queue
    entry = ChecklistLogEntry.objects.filter(item_number=8).latest("pk")
    assert (entry.action, entry.user) == ("checklists.withdrawn", worker)

    field = page.locator('#item-8 input[name="v.smart_lights"]')
    field.fill("65")
    field.dispatch_event("change")
    wait_for(lambda: ItemResult.objects.get(community=community, item_number=8).values["smart_lights"] == "65",
             message="the correction")
    assert chip.inner_text() == "草稿·可提交"  # autosave never changes the status
    # The server has the value; the page says so once the save's answer is read (it may lag the database).
    page.locator("#item-8 [data-saved]", has_text=re.compile(r"已保存 \d\d:\d\d:\d\d")).wait_for()
    assert re.match(r"已保存 \d\d:\d\d:\d\d", page.locator("#item-8 [data-saved]").inner_text())


def test_submit_all_skips_an_unchanged_returned_item(live_server, phone, round_, community, worker, verifier):
    complete(round_, community, worker, 8)
    returned = item_submit(result=complete(round_, community, worker, 2, {"wireless_on_demand": True}), user=worker)
    item_return(result=returned, user=verifier, reason="照片看不清")
    page = phone().new_page()
    login(page, live_server.url, f"/c/{community.code}/")
    page.click("#submit-all button")
    result = page.locator("#all-result")
    result.wait_for()
    text = result.inner_text()
    assert "已提交 1 项：第8项" in text and "第2项：被退回后尚未修改" in text and "第1项：尚未填写" in text
    assert page.locator("#item-8 [data-chip]").inner_text() == "待审核"
    assert page.locator("#item-2 [data-chip]").inner_text() == "被退回"
    item = ItemResult.objects.get(community=community, item_number=2)
    assert item.status == Status.RETURNED and item.return_reason == "照片看不清"
    assert page.locator('[data-count="submitted"]').inner_text() == "1"


def test_an_uploaded_photo_is_the_display_copy_and_the_original_follows(live_server, phone, round_, community, worker):
    answer_save(round_=round_, community=community, item_number=8, user=worker, values=LIGHTS)
    original = phone_jpeg(4000, 3000, seed=12)  # 12 MP with sensor noise: a few MB, like a real phone's
    page = phone().new_page()
    login(page, live_server.url, f"/c/{community.code}/items/8/")
    sent = []

    def keep(route):
        sent.append((route.request.url, route.request.post_data_buffer))
        route.continue_()

    page.route("**/items/8/photos/", keep)
    page.set_input_files("#item-8 input[type=file]", files=[
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": original}])
    page.locator('#item-8 .th img[src*="/evidence/"]').wait_for(timeout=30_000)
    photo = wait_for(lambda: Evidence.objects.filter(result__community=community).first(), message="photo")

    body = next(data for url, data in sent if url.endswith("/photos/"))
    copy = photo.copy.read()
    assert copy in body and len(body) < len(copy) + 4096  # on the wire: the copy, its facts, nothing else
    assert len(copy) < 500 * 1024 < len(original) and original[:2000] not in body
    assert photo.sha256 == hashlib.sha256(original).hexdigest() and photo.size == len(original)
    assert (photo.width, photo.height) == (3000, 4000) and not photo.original  # upright (EXIF orientation 6)
    assert "原图待上传" in page.locator("#item-8 .th").inner_text()
    assert "1 张高清原图待发送" in page.locator("#sync").inner_text()  # not on Wi-Fi: it waits for the worker

    page.locator("#sync button", has_text="现在发送").click()
    wait_for(lambda: Evidence.objects.get(pk=photo.pk).original_received_at, message="the original")
    assert Evidence.objects.get(pk=photo.pk).original.read() == original
    page.wait_for_function("() => !document.querySelector('#item-8 .th').textContent.includes('原图待上传')")


def test_refused_files_show_as_refused_with_the_reason(live_server, phone, round_, community):
    page = phone().new_page()
    login(page, live_server.url, f"/c/{community.code}/items/8/")
    page.set_input_files("#item-8 input[type=file]", files=[
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": "不是照片".encode()},
        {"name": "fake.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0 not really a jpeg"},
    ])
    refused = page.locator("#item-8 .th li.perr")
    refused.nth(1).wait_for()
    assert "文件不是有效的图片" in refused.nth(0).inner_text()
    assert "图片文件不完整" in refused.nth(1).inner_text() or "无法读取" in refused.nth(1).inner_text()
    assert page.locator("#item-8 .th li.perr img, #item-8 .th li.perr progress").count() == 0
    assert page.locator("#sync").is_hidden()  # nothing queued
    page.locator("#item-8 .th li.perr button").first.click()
    assert refused.count() == 1


def test_storage_short_is_said_before_a_photo_is_accepted(live_server, phone, round_, community):
    context = phone()
    context.add_init_script("navigator.storage.estimate = async () => ({usage: 99e6, quota: 100e6});")
    page = context.new_page()
    login(page, live_server.url, f"/c/{community.code}/items/8/")
    page.set_input_files("#item-8 input[type=file]", files=[
        {"name": "a.jpg", "mimeType": "image/jpeg", "buffer": make_jpeg(1200, 900, pattern_seed=3)}])
    page.locator("#item-8 .th li.perr").wait_for()
    assert "手机存储空间不足" in page.locator("#item-8 .th li.perr").inner_text()
    assert not Evidence.objects.exists()


def test_targets_are_44px_and_locked_items_have_no_camera(live_server, phone, round_, community, worker, verifier):
    complete(round_, community, worker, 8)
    approved = item_submit(result=complete(round_, community, worker, 2, {"wireless_on_demand": True}), user=worker)
    from checklists.decisions import item_approve

    item_approve(result=approved, user=verifier)
    page = phone().new_page()
    login(page, live_server.url, f"/c/{community.code}/")
    page.click("#item-8 summary")
    for target in ("#item-8 .th .rm", '#item-8 button[value="save"]', '#item-8 button[value="submit"]',
                   "#item-8 .cam", "#item-8 .yn label, #item-8 .num input", ".bar button", "#item-8 summary"):
        box = page.locator(target).first.bounding_box()
        assert box and box["height"] >= 44, (target, box)
    page.click("#item-2 summary")
    assert page.locator("#item-2 [data-chip]").inner_text() == "已审核·达标"
    assert not page.locator("#item-2 .cam").is_visible() and page.locator("#item-2 input[type=file]").is_disabled()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
