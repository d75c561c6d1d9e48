"""The public pages in headless Chromium, walked as their people use them: the province publishes a 智慧社区名单 and
a 收回奖补 通报; a city's bureau writes a 亮点工作 report with a photo in Wagtail's editor and submits it; the
province approves it; then a member of the public on a phone reads the batch (授星 with its star and day, 收回奖补
with its 通报), the 名单 and the report. No page breaks the Content-Security-Policy. Screenshots go to
/tmp/h-public-shots/ (PUBLIC_SHOTS overrides). Where axe-core is at hand (AXE_JS, default the vendored
tests/browser/vendor/axe.min.js) each new screen must also have no serious or critical WCAG 2.1 AA finding."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.regions import region_by
from audit.actors import system
from communities.models import ProvincePage, Role
from communities.roles import assign
from pilots.stages import Stage
from publications.models import HighlightPage, RevocationNotice, SmartListPage
from standards import scoring
from standards.versions import load_file
from tests.browser.conftest import PHONE
from tests.browser.test_csp import RECORD
from tests.browser.waits import loaded_width
from tests.coverage.coverage_factory import make_smart
from tests.publications.outcome_factory import batch_with
from tests.publications.test_highlights import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
PHONE_393 = {**PHONE, "viewport": {"width": 393, "height": 851}}
PASSWORDS = {"bureau": "bureau-demo-2026", "province": "pw-12345678"}
SHOTS = Path(os.environ.get("PUBLIC_SHOTS", "/tmp/h-public-shots"))
AXE = Path(os.environ.get("AXE_JS", Path(__file__).parent / "vendor" / "axe.min.js"))
WCAG = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}"
# Wagtail's own editor screens (not ours) are looked at, not judged here.
WAGTAILS = ("04-bureau-editor-new", "07-province-moderation")


class Walker:
    """Browser contexts for the people of the walk, recording every CSP violation and saving screenshots."""

    def __init__(self, browser, base: str):
        self.browser, self.base, self.contexts, self.violations = browser, base, [], []
        self.findings: dict[str, list[str]] = {}
        SHOTS.mkdir(parents=True, exist_ok=True)

    def page(self, options: dict):
        context = self.browser.new_context(**options)
        context.set_default_timeout(45_000)  # the machine is shared: Wagtail's editor can take a while
        context.add_init_script(RECORD)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: self.violations.append(m.text) if "Content Security Policy" in m.text else None)
        return page

    def admin(self, username: str):
        page = self.page(DESKTOP)
        page.goto(self.base + "/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORDS[username])
        page.click("button[type=submit]")
        page.wait_for_url(self.base + "/admin/")
        return page

    def shot(self, page, name: str) -> None:
        page.wait_for_load_state("networkidle")
        self.violations += page.evaluate("window.__csp || []")
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        if AXE.exists() and name not in WAGTAILS:
            self.findings[name] = self.axe(page)

    def axe(self, page) -> list[str]:
        """Return the page's serious and critical axe-core findings (evaluated outside the page's CSP)."""
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(AXE.read_text(encoding="utf-8"))
        results = page.evaluate(f"axe.run(document, {WCAG})")
        return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results["violations"]
                if v["impact"] in ("serious", "critical")]

    def close(self):
        for n, context in enumerate(self.contexts):
            for page in context.pages:  # where each person ended up (the first thing to look at after a failure)
                page.screenshot(path=str(SHOTS / f"last-{n}.png"), full_page=True)
            context.close()


@pytest.fixture
def walker(live_server, browser, demo, round_, make_user):
    load_file(scoring.BUNDLED, user=system("tests"))
    assign(make_user("province"), Role.BUREAU, ProvincePage.objects.get(), by=system("tests"))
    walker = Walker(browser, live_server.url)
    yield walker
    walker.close()


def test_province_bureau_and_public_walk_the_public_pages(walker, round_):
    users = get_user_model().objects
    bureau, province = users.get(username="bureau"), users.get(username="province")
    city, county = region_by("city", "379900"), region_by("county", "379921")
    granted, revoked = batch_with(bureau, province, round_, {county: Stage.GRANTED, city: Stage.REVOKED})
    year = granted.application.batch.year
    make_smart(round_, ["379902001001", "379903001001", "379921001001", "379902101001"])
    base = walker.base

    # The province publishes the 名单 and the 通报.
    prov = walker.admin("province")
    prov.get_by_role("link", name="公开信息").first.click()
    prov.locator("[data-rounds]").wait_for()
    walker.shot(prov, "01-province-home")
    prov.locator("[data-round='2026'] [data-publish-list]").click()
    prov.locator("[data-preview]").wait_for()
    walker.shot(prov, "02-province-smart-list-confirm")
    prov.get_by_label("我已核对，确认公布").check()
    prov.get_by_role("button", name="公布名单").click()
    prov.locator(".messages").get_by_text("已公布2026年度智慧社区名单（第1版）").wait_for()
    assert SmartListPage.objects.get().version == 1
    prov.locator(f"[data-revoked] [data-pilot='{revoked.pk}'] [data-write-notice]").click()
    prov.locator("[data-internal-reason]").wait_for()
    prov.fill("#id_text", "示范市列入省级新型智慧城市试点名单，经终期验收和限期整改，仍未达到四星级建设要求。"
                          "根据《山东省新型智慧城市试点示范建设工作方案》，收回奖补资金，予以通报。")
    prov.get_by_label("我已核对通报内容，确认公开发布").check()
    walker.shot(prov, "03-province-notice-form")
    prov.get_by_role("button", name="发布通报").click()
    prov.locator(".messages").get_by_text(f"已发布通报，公开页面：/pilots/{year}/").wait_for()
    assert RevocationNotice.objects.get().pilot_id == revoked.pk

    # A city's bureau writes a report with a photo and submits it for moderation.
    bur = walker.admin("bureau")
    bur.goto(base + "/admin/publications/")
    bur.select_option("#pub-region", str(city.pk))
    bur.get_by_role("button", name="撰写亮点工作").click()
    bur.wait_for_url("**/admin/pages/add/publications/highlightpage/**")
    bur.fill("#id_title", "示范市“一网通办”进社区")
    bur.fill("#id_body", "全市 16 个街道社区开通“一网通办”服务站。\n\n群众办事平均跑动次数由 2.3 次降至 0.6 次。")
    walker.shot(bur, "04-bureau-editor-new")
    bur.get_by_role("button", name="保存草稿").click()
    bur.wait_for_url("**/admin/pages/*/edit/**")
    page = HighlightPage.objects.get()
    bur.locator("[data-photos-panel]").get_by_role("link", name="添加或移除照片").click()
    bur.locator("[data-upload] input[type=file]").set_input_files(
        [{"name": "服务站.jpg", "mimeType": "image/jpeg", "buffer": jpeg(1200, 900, gps=True)}])
    bur.fill("#id_caption", "社区“一网通办”服务站")
    bur.get_by_role("button", name="上传").click()
    assert loaded_width(bur.locator("[data-photos] img").first) > 0
    walker.shot(bur, "05-bureau-photos")
    bur.get_by_role("link", name="返回编辑").click()
    bur.locator("[data-photos-panel] img").first.wait_for()
    bur.locator("footer [data-w-dropdown-target='toggle'], .footer [data-w-dropdown-target='toggle']").first.click()
    bur.locator("button[name='action-submit']").click()
    bur.wait_for_url(base + "/admin/publications/")  # back where the report was started
    bur.locator(".messages").get_by_text("已经提交进行审核").wait_for()
    page.refresh_from_db()
    assert page.workflow_in_progress and not page.live
    walker.shot(bur, "06-bureau-submitted")

    # The province approves it from 公开信息.
    prov.goto(base + "/admin/publications/")
    prov.locator(f"[data-highlight='{page.pk}']").get_by_role("link", name=page.title).click()
    prov.wait_for_url(f"**/admin/pages/{page.pk}/edit/**")
    walker.shot(prov, "07-province-moderation")
    prov.locator("footer [data-w-dropdown-target='toggle'], .footer [data-w-dropdown-target='toggle']").first.click()
    prov.locator("button[data-workflow-action-name='approve']").first.click()
    prov.wait_for_url(base + "/admin/publications/")
    page.refresh_from_db()
    assert page.live

    # A member of the public, on a phone.
    pub = walker.page(PHONE_393)
    pub.goto(base + "/")
    pub.get_by_role("link", name="公开信息").click()
    pub.locator("[data-batches]").wait_for()
    walker.shot(pub, "08-public-index")
    pub.locator("[data-batches]").get_by_role("link").first.click()
    pub.locator("[data-outcomes]").wait_for()
    today = timezone.localdate().isoformat()
    granted_row = pub.locator(f"[data-pilot='{granted.pk}']").inner_text()
    assert "授星" in granted_row and "授予四星" in granted_row and today in granted_row
    revoked_row = pub.locator(f"[data-pilot='{revoked.pk}']").inner_text()
    assert "收回奖补" in revoked_row and f"{today} 通报" in revoked_row
    notice = pub.locator("[data-notices] article")
    assert "收回奖补资金，予以通报" in notice.inner_text()
    assert revoked.history.get(target=Stage.REVOKED).reason not in pub.content()
    walker.shot(pub, "09-public-batch")
    pub.get_by_role("link", name="公布时的名单（原样）").click()
    pub.locator("section[data-level]").first.wait_for()
    walker.shot(pub, "10-public-frozen-list")
    pub.goto(base + "/publications/")
    pub.locator("[data-smart-lists]").get_by_role("link").first.click()
    pub.locator("[data-city='379900']").wait_for()
    assert pub.locator("[data-community]").count() == 4
    walker.shot(pub, "11-public-smart-list")
    pub.goto(base + "/publications/")
    pub.locator("[data-highlights]").get_by_role("link", name="示范市“一网通办”进社区").click()
    photo = pub.locator("[data-photos] img").first
    assert loaded_width(photo) > 0 and photo.get_attribute("alt") == "社区“一网通办”服务站"
    walker.shot(pub, "12-public-highlight")
    width = pub.evaluate("document.documentElement.scrollWidth")
    assert width <= 393, "nothing runs off the phone's screen"
    desk = walker.page(DESKTOP)  # the same pages on a desktop
    for name, url in (("13-desktop-batch", f"/pilots/{year}/"), ("14-desktop-smart-list", "/publications/"
                                                                 "smart-communities/2026/")):
        desk.goto(base + url)
        walker.shot(desk, name)
    assert walker.violations == []
    if AXE.exists():
        assert len(walker.findings) == 12, "every screen of ours was checked"
    assert {name: found for name, found in walker.findings.items() if found} == {}
