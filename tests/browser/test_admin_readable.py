"""The verifiers' and bureaus' admin screens as a person sees them at 1366×768 (issue 20): the review queue's status
badges, the item page's layout, and charts whose labels fit and stay readable."""

import pytest
from django.contrib.auth import get_user_model

from audit.actors import system
from checklists import decisions, services
from checklists.evidence import evidence_add
from standards import scoring
from standards.versions import load_file
from tests.browser.test_review_flow import admin_login
from tests.checklists.photo_factory import make_jpeg
from tests.coverage.coverage_factory import make_smart

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
BROADBAND_OK = {"fiber_households": 337, "households": 337, "multi_carrier_access": True}


@pytest.fixture
def desk(browser):
    context = browser.new_context(**DESKTOP)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def log_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/admin/")


def submitted(round_, community, number, values):
    worker = get_user_model().objects.get(username="worker")
    result = services.answer_save(round_=round_, community=community, item_number=number, user=worker,
                                  values=values).result
    evidence_add(result=result, user=worker, data=make_jpeg(400, 300, pattern_seed=number), filename=f"{number}.jpg")
    return services.item_submit(result=result, user=worker)


def lines(locator) -> int:
    """Return on how many lines an element's text is laid out (the distinct tops of its text's boxes)."""
    return locator.evaluate("""node => {
        const range = document.createRange();
        range.selectNodeContents(node);
        return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
    }""")


def test_the_queue_and_the_item_page_read_at_a_glance(live_server, desk, round_, community):
    verifier = get_user_model().objects.get(username="verifier")
    decisions.item_approve(result=submitted(round_, community, 2, {"wireless_on_demand": True}), user=verifier)
    waiting = submitted(round_, community, 1, BROADBAND_OK)
    admin_login(desk, live_server.url)

    desk.get_by_role("link", name="审核队列").first.click()
    desk.locator("[data-status-tabs]").wait_for()
    assert desk.locator('[data-status-tabs] a[aria-current="page"]').inner_text() == "待审核"
    assert desk.locator("td [data-status]").all_inner_texts() == ["待审核"]  # 已通过 is not listed
    desk.locator("[data-status-tabs]").get_by_role("link", name="全部（不含草稿）").click()
    desk.locator('td [data-status="approved"]').wait_for()
    colours = {status: desk.locator(f'td [data-status="{status}"]').first.evaluate(
        "node => getComputedStyle(node).backgroundColor") for status in ("submitted", "approved")}
    assert colours["submitted"] != colours["approved"]
    assert desk.locator('td [data-status="approved"]').inner_text() == "已通过"  # the status in text, not only colour

    desk.goto(f"{live_server.url}/admin/review/{waiting.pk}/")
    verdict = desk.locator('tr[data-rule="fiber_coverage"] .w-status')
    assert verdict.inner_text() == "达标" and lines(verdict) == 1  # was "达/标"
    history = desk.locator("table[data-history]")
    assert history.bounding_box()["width"] > 1000  # the whole width, not the side column
    for cell in history.locator("tbody tr").first.locator("td").all()[:3]:
        assert lines(cell) == 1, cell.inner_text()
    back, approve_all = desk.locator('button[data-action="return"]'), desk.locator('button[data-action="approve-all"]')
    gap = approve_all.bounding_box()["y"] - (back.bounding_box()["y"] + back.bounding_box()["height"])
    assert gap >= 48  # 全部通过 is set apart from 退回, not right under it
    assert desk.locator("[data-form=approve-all]").evaluate("node => getComputedStyle(node).borderTopStyle") == "solid"


def sticking_out(page, selector: str) -> list[str]:
    """Return the texts of the matching SVGs that stick out of their SVG (none when every label fits)."""
    return page.locator(selector).evaluate_all("""svgs => svgs.flatMap(svg => {
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('text')].filter(t => {
            const r = t.getBoundingClientRect();
            return r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5
                || r.bottom > box.bottom + 0.5;
        }).map(t => t.textContent);
    })""")


def test_charts_keep_their_labels_inside_and_readable(live_server, desk, demo, round_):
    make_smart(round_, ["379902001001", "379921001001", "379921001002"])
    load_file(scoring.BUNDLED, user=system("tests"))
    log_in(desk, live_server.url, "bureau")

    desk.goto(live_server.url + "/admin/coverage/")
    labels = desk.locator(".cov-bar__label")
    assert labels.count() >= 12
    sizes = {labels.nth(i).evaluate("node => node.getBoundingClientRect().height") for i in range(labels.count())}
    assert min(sizes) >= 12  # was 9 px, and smaller once the bar shrank with its column
    assert sticking_out(desk, "svg.cov-bar") == []
    assert "≥ 30% 12分" in labels.all_text_contents()

    desk.goto(live_server.url + "/admin/assessments/2026/city/379900/")
    chart = '[data-chart="categories"]'
    desk.locator(chart).wait_for()
    assert sticking_out(desk, chart) == []  # "105/107" and the longest category label both fit
    size = desk.locator(f"{chart} .as-chart__label").first.evaluate("node => getComputedStyle(node).fontSize")
    assert size == "12px"
