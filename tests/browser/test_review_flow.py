"""Verification end to end in headless Chromium: a verifier returns an item with a reason in the admin, the
worker sees the reason first on the phone, fixes the answer and resubmits, the verifier approves, and the
community's pass count (the coverage contract's items_passed, and the phone's 已审核·达标) goes up."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from checklists import decisions, services
from checklists.evidence import evidence_add
from checklists.models import ChecklistLogEntry, ItemResult, Status
from tests.browser.conftest import login, wait_for, wait_synced
from tests.browser.waits import loaded_width
from tests.checklists.photo_factory import make_jpeg

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
REASON = "光纤入户数与机房照片不一致，请核实"


def items_passed(community) -> int:
    """Return the community's items_passed from the `coverage` command (the interfaces.md contract)."""
    out = io.StringIO()
    call_command("coverage", "--round", "2026", "--format", "json", stdout=out)
    return next(c["items_passed"] for c in json.loads(out.getvalue())["communities"] if c["code"] == community.code)


def status_of(community, number):
    return ItemResult.objects.get(community=community, item_number=number).status


def submitted(round_, community, number, values, seed):
    """A worker's complete answer with a photo, submitted for review (set up through the services)."""
    worker = get_user_model().objects.get(username="worker")
    result = services.answer_save(
        round_=round_, community=community, item_number=number, user=worker, values=values
    ).result
    evidence_add(result=result, user=worker, data=make_jpeg(800, 600, pattern_seed=seed), filename=f"{number}.jpg")
    return services.item_submit(result=result, user=worker)


def admin_login(page, base_url):
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", "verifier")
    page.fill("#id_password", "verifier-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/admin/")


def test_return_fix_resubmit_approve(live_server, browser, phone, round_, community):
    # Item 2 is already approved; item 1 was submitted with 300 of 337 households on fibre (rule fails).
    decisions.item_approve(
        result=submitted(round_, community, 2, {"wireless_on_demand": True}, seed=2),
        user=get_user_model().objects.get(username="verifier"),
    )
    submitted(round_, community, 1, {"fiber_households": 300, "households": 337, "multi_carrier_access": True},
              seed=1)
    assert items_passed(community) == 1

    desk = browser.new_context(**DESKTOP)
    desk.set_default_timeout(15_000)
    admin = desk.new_page()
    admin_login(admin, live_server.url)
    assert admin.locator('[data-count="submitted"]').inner_text() == "1"  # the dashboard panel
    admin.goto(live_server.url + "/admin/review/?status=submitted")
    admin.locator("tr", has_text="1. 宽带网络").get_by_role("link", name="阳光社区（379902001001）").click()
    assert admin.locator('tr[data-rule="fiber_coverage"]').inner_text().count("未达标") == 1
    thumb = admin.locator('img[src*="/evidence/"]')
    assert loaded_width(thumb) > 0  # lazy-loaded: it loads once on screen

    admin.get_by_label("填报数据与照片不一致").check()
    admin.fill('textarea[name="detail"]', REASON)
    admin.click('button[data-action="return"]')
    admin.get_by_text("已退回").first.wait_for()
    assert status_of(community, 1) == Status.RETURNED

    # The worker's phone: the returned item and its reason come first on the checklist.
    mobile = phone().new_page()
    login(mobile, live_server.url, f"/c/{community.code}/")
    first_group = mobile.locator("section.group").first
    assert "被退回，请先修改" in first_group.locator("h2").inner_text()
    assert first_group.locator("#item-1").count() == 1
    first_group.locator("#item-1 > summary").click()
    reason = first_group.locator("#item-1 .reason").inner_text()
    assert "填报数据与照片不一致" in reason and REASON in reason

    mobile.goto(f"{live_server.url}/c/{community.code}/items/1/")
    field = mobile.locator('#item-1 input[name="v.fiber_households"]')
    field.fill("337")
    field.dispatch_event("change")
    wait_for(lambda: ItemResult.objects.get(community=community, item_number=1).values.get("fiber_households")
             in (337, "337"), message="autosave of the fix")
    wait_synced(mobile)
    assert mobile.locator("#item-1 .ev > p b").inner_text() == "达标"
    mobile.click('#item-1 button[value="submit"]')
    mobile.get_by_text("第1项已提交审核").wait_for()
    assert status_of(community, 1) == Status.SUBMITTED

    # The verifier sees the fix and the whole story, then approves.
    result = ItemResult.objects.get(community=community, item_number=1)
    admin.goto(f"{live_server.url}/admin/review/{result.pk}/")
    assert "达标" in admin.locator('tr[data-rule="fiber_coverage"]').inner_text()
    history = admin.locator("table[data-history]").inner_text()
    assert "退回修改" in history and REASON in history and history.count("提交审核") == 2
    admin.click('button[data-action="approve"]')
    admin.get_by_text("已通过").first.wait_for()
    wait_for(lambda: status_of(community, 1) == Status.APPROVED, message="approval")

    assert items_passed(community) == 2
    mobile.goto(f"{live_server.url}/c/{community.code}/")
    assert mobile.locator('[data-count="passed"]').inner_text() == "2"
    assert mobile.locator("#item-1 [data-chip]").inner_text() == "已审核·达标"
    assert mobile.locator('[data-count="returned"]').inner_text() == "0"
    actions = list(ChecklistLogEntry.objects.filter(community_code=community.code, item_number=1)
                   .values_list("action", flat=True))
    assert [a for a in actions if a != "checklists.saved"] == [
        "checklists.photo_added", "checklists.submitted", "checklists.returned", "checklists.submitted",
        "checklists.approved",
    ]
    desk.close()
