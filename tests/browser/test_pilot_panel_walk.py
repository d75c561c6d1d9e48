"""The expert pool and the panel in headless Chromium, as each person meets them: the province adds an expert to
the pool, is refused an expert from the applicant's own county (回避, with the reason) and assigns the panel; an
expert goes from their home to the review page, judges every indicator in one form and signs; the province reads
the panel's result on the pilot page; an administrator opens the same pages. No CSP refusal anywhere.

With PILOT_SHOTS=DIR the walk saves screenshots there; with AXE_JS=path/to/axe.min.js it also runs axe-core's
WCAG 2.1 AA rules on each screen and fails on any serious or critical violation (axe-core is not a project
dependency: point AXE_JS at a copy, e.g. from `npm install axe-core`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from assessments.regions import region_by
from audit.actors import system
from communities.models import ProvincePage, Role
from communities.roles import assign
from pilots.models import Pilot
from pilots.services.moves import pilot_move
from standards import scoring
from standards.versions import load_file
from tests.browser.waits import parsed
from tests.pilots.pilot_factory import BANDS, applied, batch, panel, pool_expert, self_assess, signed

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
PASSWORD = "pw-12345678"
SHOTS = os.environ.get("PILOT_SHOTS", "")
AXE = os.environ.get("AXE_JS", "")


def give(card, points: str | None = None) -> None:
    """Give an indicator card its points (the self-assessed ones by default): a select, or the deduction's box."""
    number = card.get_attribute("data-indicator")
    points = points if points is not None else card.locator("[data-self-points]").inner_text()
    select = card.locator(f"select[name=p{number}]")
    if select.count():
        select.select_option(points)
    else:
        card.locator(f"input[name=p{number}]").fill(points)


def look(page, name: str) -> None:
    """Save a screenshot (PILOT_SHOTS) and check the screen with axe-core (AXE_JS), when asked to."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=False)
    if AXE:
        page.evaluate(Path(AXE).read_text() + "\n;0")  # through the debugger: the page's CSP stays as it is
        found = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations
            .filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))""")
        assert found == [], (name, found)


@pytest.fixture
def people(live_server, browser, demo, round_, make_user):
    load_file(scoring.BUNDLED, user=system("tests"))
    province = make_user("province")
    assign(province, Role.BUREAU, ProvincePage.objects.get(), by=system("tests"))
    contexts, refused = [], []

    def log_in(username: str):
        context = browser.new_context(**DESKTOP)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "admin-demo-2026" if username == "admin" else PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/admin/")
        return page

    yield log_in, refused
    for context in contexts:
        context.close()


def test_pool_panel_review_and_result(live_server, people, round_, make_user):
    log_in, refused = people
    base = live_server.url
    users = get_user_model().objects
    bureau, province_user = users.get(username="bureau"), users.get(username="province")
    county = region_by("county", "379921")
    self_assess(bureau, round_, county, BANDS[3])
    pilot = pilot_move(user=province_user, pilot=applied(bureau, round_, county, batch(province_user)),
                       move="accept")
    make_user("expert")
    pool_expert(make_user("local"), name="本地专家", organisation="示范县人民医院")
    panel(province_user, pilot.application)  # pool experts already on the panel


    province = log_in("province")
    province.goto(base + "/admin/pilots/experts/")
    province.get_by_role("link", name="加入专家库").click()
    province.fill("#id_username", "expert")
    province.fill("#id_name", "王专家")
    province.fill("#id_organisation", "山东大学")
    province.fill("#id_field", "智慧城市")
    look(province, "01-pool-add")
    province.get_by_role("button", name="保存").click()
    province.locator('[data-expert="expert"]').wait_for()
    look(province, "02-pool")

    province.goto(base + f"/admin/pilots/applications/{pilot.application_id}/")
    province.select_option("#id_expert", "local")
    province.get_by_role("button", name="指派…").click()
    refusal = province.locator("[data-conflict]")
    assert "属于申报地区示范县，须回避" in refusal.inner_text()
    assert province.get_by_role("button", name="确认指派").count() == 0
    look(province, "03-refused")
    province.get_by_role("link", name="返回申报").click()
    province.select_option("#id_expert", "expert")
    province.get_by_role("button", name="指派…").click()
    look(province, "04-confirm")
    province.get_by_role("button", name="确认指派").click()
    province.locator('[data-assigned="expert"]').wait_for()

    expert = log_in("expert")
    desk = expert.locator("[data-expert-desk]")
    assert "已评 0/52" in desk.inner_text() and "未签字" in desk.inner_text()
    assert expert.get_by_placeholder("Search all pages…").count() == 0
    look(expert, "05-expert-home")
    desk.get_by_role("link").click()
    expert.locator("[data-review-form]").wait_for()
    parsed(expert)
    assert "还有 52 项未评" in expert.locator("[data-savebar]").inner_text()
    assert expert.locator("[data-hidden-points]").count() == 1 and expert.locator("[data-others]").count() == 0
    look(expert, "06-review-top")
    first = expert.locator('[data-indicator="1"]')
    first.scroll_into_view_if_needed()
    look(expert, "07-review-card")
    for card in expert.locator("[data-indicator]").all()[:10]:
        give(card)
    expert.get_by_role("button", name="保存评分").click()
    expert.locator("[data-review-form]").wait_for()
    parsed(expert)
    assert "已评 10/52" in expert.locator("[data-savebar]").inner_text()
    for card in expert.locator("[data-indicator]").all()[10:]:
        give(card)
    second = expert.locator('[data-indicator="2"]')
    lower = second.locator("select[name=p2] option").nth(1).get_attribute("value")
    second.locator("select[name=p2]").select_option(lower)
    expert.get_by_role("button", name="保存并签字确认").click()
    expert.locator('[data-indicator="2"] [data-field-error]').wait_for()  # a lower mark needs its reason
    look(expert, "08-review-error")
    expert.locator("textarea[name=r2]").fill("未见平台运行记录")
    expert.get_by_role("button", name="保存并签字确认").click()
    expert.locator("[data-panel]").wait_for()
    assert "已签字确认评分" in expert.locator(".messages").inner_text()
    assert expert.locator("[data-review-form]").count() == 0
    look(expert, "09-signed")

    signed(province_user, Pilot.objects.get(pk=pilot.pk), "application")  # the rest of the panel signs
    province.goto(base + f"/admin/pilots/{pilot.pk}/")
    result = province.locator("[data-panel-result]").first
    assert "专家组评分已完成" in result.inner_text() and "平均分" in result.inner_text()
    province.locator("[data-panel]").first.scroll_into_view_if_needed()
    look(province, "10-pilot-panel")

    admin = log_in("admin")
    admin.goto(base + f"/admin/pilots/reviews/{pilot.reviews.get().pk}/")
    assert admin.locator("[data-indicator]").count() == 52 and admin.locator("[data-review-form]").count() == 0
    look(admin, "11-admin-review")
    admin.goto(base + f"/admin/pilots/{pilot.pk}/")
    assert admin.locator("[data-move]").count() >= 1
    look(admin, "12-admin-pilot")
    assert not refused
