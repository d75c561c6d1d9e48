"""主城区确认 in headless Chromium (issue 17 item 4): a city's bureau opens coverage, reads "主城区未确认" with the
districts assumed to be main urban, goes to the screen, makes one district 独立性较强的建制区 and confirms the
rest, and is back on coverage with the figures moved between the city and the counties; a county's bureau
cannot reach the screen."""

import re

import pytest
from django.contrib.auth import get_user_model

from audit.actors import system
from communities.models import DivisionKind, Role, UnitKind, UnitPage
from communities.roles import assign
from tests.coverage.coverage_factory import make_smart

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
DISTRICTS = ("379902", "379903", "379905")


def admin_login(page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/admin/")


def cells(row) -> list[str]:
    return [cell.inner_text().strip() for cell in row.locator("td").all()]


def open_context(browser):
    context = browser.new_context(**DESKTOP)
    context.set_default_timeout(15_000)
    page = context.new_page()
    refused = []  # anything the Content-Security-Policy blocked (an inline style or script would be)
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    return context, page, refused


def test_a_city_confirms_its_main_urban_area_and_a_county_cannot(live_server, browser, demo, round_):
    UnitPage.objects.filter(code__in=DISTRICTS).update(division_kind=DivisionKind.DISTRICT, kind_confirmed=False,
                                                       kind=UnitKind.MAIN_URBAN_DISTRICT)
    make_smart(round_, ["379903001001", "379903001002", "379903001003", "379903001004"])
    context, page, refused = open_context(browser)
    admin_login(page, live_server.url, "bureau", "bureau-demo-2026")
    page.get_by_role("link", name="主城区确认").first.wait_for()  # the city's bureau has the screen in its menu
    page.get_by_role("link", name="覆盖率统计").first.click()
    notice = page.locator('[data-main-urban-unconfirmed="379900"]')
    assert "示范市主城区未确认" in notice.inner_text()
    assert notice.locator("[data-assumed-main-urban]").inner_text() == "示范中心区、示范新区、示范海岛区"
    city = page.locator('tr[data-city="379900"]')
    assert cells(city)[1:3] == ["19", "4"]  # 9 + 7 + 3 communities, 4 smart: all three assumed main urban
    assert page.locator('tr[data-unit="379903"] [data-unconfirmed]').inner_text() == "待设区市确认"

    notice.get_by_role("link", name="去确认主城区").click()
    page.locator("[data-main-urban-form]").wait_for()
    assert page.locator("h1").first.inner_text().strip() == "示范市 · 主城区确认"
    district = page.locator('[data-district="379903"]')
    assert district.locator("[data-status]").inner_text() == "待确认"
    district.get_by_label("独立性较强的建制区（单独评价）").check()
    page.locator('[data-district="379905"]').get_by_label("主城区（计入设区市）").check()
    assert district.get_by_label("独立性较强的建制区（单独评价）").is_checked()
    assert district.locator("label").first.bounding_box()["height"] >= 44  # the whole label is the target
    page.get_by_role("button", name="确认以上各区的类型").click()

    page.wait_for_url(re.compile(r".*/admin/coverage/.*"))
    assert "已确认示范市的主城区：3个区的类型已记录" in page.content()
    assert page.locator("[data-main-urban-unconfirmed]").count() == 0
    city = page.locator('tr[data-city="379900"]')
    assert cells(city)[1:3] == ["12", "0"]  # 示范新区 left the city with its four smart communities
    county = page.locator('tr[data-unit="379903"]')
    assert "独立性较强的建制区" in cells(county)[1] and cells(county)[2:4] == ["7", "4"]
    assert "12分（4星）" in county.inner_text()  # 4 of 7 >= 50 %: the county tier
    assert [(u.code, u.kind, u.kind_confirmed) for u in UnitPage.objects.filter(code__in=DISTRICTS)
            .order_by("code")] == [("379902", "main_urban_district", True), ("379903", "independent_district", True),
                                   ("379905", "main_urban_district", True)]

    page.goto(live_server.url + "/admin/main-urban/379900/")
    history = page.locator("[data-decisions]").inner_text()
    assert "bureau" in history and "示范新区：主城区（计入设区市）（待确认） → 独立性较强的建制区" in history
    assert not refused
    context.close()

    county_bureau = get_user_model().objects.create_user(username="county-bureau", password="County-bureau-26")
    assign(county_bureau, Role.BUREAU, UnitPage.objects.get(code="379921"), by=system("tests"))
    context, page, refused = open_context(browser)
    admin_login(page, live_server.url, "county-bureau", "County-bureau-26")
    page.get_by_role("link", name="覆盖率统计").first.wait_for()  # the menu is drawn
    assert page.get_by_role("link", name="主城区确认").count() == 0
    page.goto(live_server.url + "/admin/main-urban/379900/")
    page.wait_for_url(live_server.url + "/admin/")
    assert page.locator("[data-main-urban-form]").count() == 0
    assert not refused
    context.close()
