"""People by roster, end to end in headless Chromium (issue 17, "Done when"): a county bureau imports a roster of
its workers (one bad row first: every error shown, nothing changed; then fixed: accounts made), prints the
activation sheet, and a worker opens the link on a phone, is told the password rule, sets a password and lands on
their community's checklist."""

import pytest
from django.contrib.auth import get_user_model

from communities.models import UnitKind
from tests.browser.conftest import wait_for
from tests.factories import BureauFactory, CommunityFactory, StreetFactory, UnitFactory
from tests.people.roster_files import roster

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
PHONE = {"viewport": {"width": 393, "height": 851}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
PASSWORD = "Bureau-pass-2026"


def test_a_county_bureau_imports_prints_and_a_worker_activates(live_server, browser, round_, settings):
    settings.SITE_URL = live_server.url  # the printed QR codes point at this server
    county = UnitFactory(kind=UnitKind.COUNTY)
    street = StreetFactory(parent=county)
    home, other = CommunityFactory(parent=street), CommunityFactory(parent=street)
    bureau = BureauFactory(username="county-bureau", password=PASSWORD, regions=[county])
    refused = []  # anything the Content-Security-Policy blocked
    desk = browser.new_context(**DESKTOP)
    desk.set_default_timeout(15_000)
    page = desk.new_page()
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", bureau.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    page.get_by_role("link", name="人员名册导入").first.click()
    page.get_by_role("heading", name="人员名册导入").wait_for()

    rows = [("张三", "13800000001", "社区工作人员", home.code, "某社区居委会"),
            ("李四", "13800000002", "社区工作人员", other.code),
            ("王五", "1380000003", "社区工作人员", home.code)]
    page.set_input_files("#id_file", {"name": "县名册.csv", "mimeType": "text/csv", "buffer": roster(*rows)})
    page.get_by_role("button", name="导入", exact=True).click()
    errors = page.locator("[data-roster-errors]")
    errors.wait_for()
    assert "县名册.csv 第4行：手机号“1380000003”格式不正确" in errors.inner_text()
    assert not get_user_model().objects.filter(username__startswith="138").exists()

    rows[2] = ("王五", "13800000003", "社区工作人员", home.code)
    page.set_input_files("#id_file", {"name": "县名册.csv", "mimeType": "text/csv", "buffer": roster(*rows)})
    page.get_by_role("button", name="导入", exact=True).click()
    assert "新增人员 3" in page.locator("[data-roster-summary]").inner_text()
    assert page.locator('tr[data-phone="13800000001"]').inner_text().startswith("张三")
    zhang = get_user_model().objects.get(username="13800000001")
    assert not zhang.has_usable_password()

    with desk.expect_page() as opened:
        page.get_by_role("button", name=f"打印 {home.title}（{home.code}）的激活单").click()
    sheet = opened.value
    sheet.wait_for_load_state()
    blocks = sheet.locator("article.block")
    assert blocks.count() == 2  # 张三 and 王五 work at this community
    block = sheet.locator('article[data-person="13800000001"]')
    assert "张三" in block.inner_text() and block.locator("svg").is_visible()
    assert sheet.get_by_role("button", name="打印").is_visible()  # started by print.js under the CSP
    link = block.locator("figure[data-link]").get_attribute("data-link")
    assert link.startswith(live_server.url + "/activate/")
    desk.close()

    phone = browser.new_context(**PHONE)
    phone.set_default_timeout(15_000)
    mobile = phone.new_page()
    mobile.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    mobile.goto(link)
    mobile.wait_for_url("**/set-password/")
    assert "13800000001" in mobile.locator(".who-line").inner_text()
    mobile.get_by_label("设置密码").fill("zhangsan2026")  # long enough, but only two kinds of character
    mobile.get_by_label("再次输入密码").fill("zhangsan2026")
    mobile.get_by_role("button", name="设置密码并登录").click()
    assert "密码需包含小写字母、大写字母、数字、符号中的至少 3 类" in mobile.locator(".fe").first.inner_text()
    button = mobile.get_by_role("button", name="设置密码并登录").bounding_box()
    assert button["height"] >= 44
    mobile.get_by_label("设置密码").fill("Zhangsan-2026!")
    mobile.get_by_label("再次输入密码").fill("Zhangsan-2026!")
    mobile.get_by_role("button", name="设置密码并登录").click()
    mobile.wait_for_url(f"{live_server.url}/c/{home.code}/")
    assert home.title in mobile.locator("h1").first.inner_text()
    assert "密码已设置" in mobile.content()
    wait_for(lambda: get_user_model().objects.get(username="13800000001").has_usable_password(),
             message="the password set")

    mobile.goto(link)
    assert "已使用过" in mobile.locator("[role=alert]").inner_text()
    assert refused == []
