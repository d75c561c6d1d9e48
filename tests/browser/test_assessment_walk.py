"""Self-assessment in headless Chromium (issue 12, "Done when"): a city bureau opens its assessment, enters an
indicator, attaches a PDF to another, and sees the total, the band line and the next-star plan change."""

import re

import pytest

from assessments.models import EvidenceFile, IndicatorValue
from audit.actors import system
from standards import scoring
from standards.versions import load_file

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def admin_login(page, base_url: str) -> None:
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", "bureau")
    page.fill("#id_password", "bureau-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/admin/")


def total(page) -> int:
    return int(page.locator("[data-total]").inner_text().split("/")[0].strip())


def test_bureau_enters_an_indicator_attaches_a_pdf_and_sees_total_and_plan_change(live_server, browser, demo,
                                                                                   round_):
    load_file(scoring.BUNDLED, user=system("tests"))
    context = browser.new_context(**DESKTOP)
    context.set_default_timeout(15_000)
    page = context.new_page()
    refused = []  # anything the Content-Security-Policy blocked (inline styles or scripts would be)
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    admin_login(page, live_server.url)

    page.goto(live_server.url + "/admin/assessments/")
    page.get_by_role("link", name="示范市").click()
    page.locator("[data-summary]").wait_for()
    assert total(page) == 0
    assert page.locator("[data-total]").evaluate("node => getComputedStyle(node).fontWeight") == "700"  # our CSS
    assert "0分，未达到星级" in page.locator("[data-band]").inner_text()
    plan = page.locator("[data-plan]")
    assert "距1星还差 50 分" in plan.inner_text() and plan.locator('[data-move="48"]').count() == 1

    # Enter 家庭光纤入户率 = 90 %: 8 points (the 4-star tier).
    page.locator('tr[data-indicator="1"]').get_by_role("link", name="家庭光纤入户率").click()
    page.get_by_label("家庭光纤宽带入户率").fill("90")
    page.get_by_label("说明（数据来源、统计口径）").fill("通信管理局 2026-02 统计")
    page.get_by_role("button", name="保存").click()
    page.locator("[data-summary]").wait_for()
    assert total(page) == 8
    assert re.search(r"距1星还差\s*42\s*分", plan.inner_text())
    row = page.locator('tr[data-indicator="1"]')
    assert "90.00%" in row.inner_text() and "需 ≥ 100%" in row.inner_text()

    # 优政、惠民、兴业方面的创新示范: three experiences (50 points) with the PDF that proves them.
    page.locator('tr[data-indicator="48"]').get_by_role("link").first.click()
    page.get_by_label("可示范可推广的经验项数").fill("3")
    page.get_by_role("button", name="保存").click()
    page.locator("[data-summary]").wait_for()
    page.locator('tr[data-indicator="48"]').get_by_role("link").first.click()
    page.locator('[data-upload] input[type="file"]').set_input_files(
        {"name": "创新经验材料.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="上传").click()
    page.locator("[data-evidence]").get_by_role("link", name="创新经验材料.pdf").wait_for()
    assert "已上传 创新经验材料.pdf" in page.content()

    page.get_by_role("link", name="返回自评").click()
    page.locator("[data-summary]").wait_for()
    assert total(page) == 58
    assert "58分，一星（50-99分）" in page.locator("[data-band]").inner_text()
    assert re.search(r"距2星还差\s*42\s*分", plan.inner_text())
    assert "创新经验材料.pdf" in page.locator('tr[data-indicator="48"]').inner_text()
    assert IndicatorValue.objects.filter(number__in=[1, 48]).count() == 2
    assert EvidenceFile.objects.get().original_name == "创新经验材料.pdf"
    assert not refused
    context.close()
