"""The pilot programme in headless Chromium: (a) a city from its application to a granted star, every step through
the admin screens by the bureau, the province and an expert; (b) a county (listed, midterm passed and its final
review signed through the services) failing the final acceptance, rectifying and passing the recheck."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image

from assessments.regions import region_by
from audit.actors import system
from communities.models import ProvincePage, Role
from communities.roles import assign
from pilots.models import Pilot
from pilots.services import batches, reviews
from pilots.services.moves import pilot_move
from pilots.stages import Stage
from standards import scoring
from standards.versions import load_file
from tests.browser.waits import loaded_width, parsed
from tests.pilots.pilot_factory import BANDS, applied, batch, listed, pool_expert, self_assess, signed

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PASSWORD = "pw-12345678"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 140, 90)).save(out, "JPEG")
    return out.getvalue()


PASSWORDS = {"bureau": "bureau-demo-2026", "province": PASSWORD, "expert": PASSWORD}


@pytest.fixture
def people(live_server, browser, demo, round_, make_user):
    """Log a person in, in a browser context of their own (an expert only has the admin once assigned)."""
    load_file(scoring.BUNDLED, user=system("tests"))
    province = make_user("province")
    assign(province, Role.BUREAU, ProvincePage.objects.get(), by=system("tests"))
    pool_expert(make_user("expert"), name="王专家", organisation="山东大学")
    contexts, refused = [], []

    def log_in(username: str):
        context = browser.new_context(**DESKTOP)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORDS[username])
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/admin/")
        return page

    yield log_in, refused
    for context in contexts:
        context.close()


def open_pilot(page, base: str, pilot: Pilot) -> None:
    page.goto(f"{base}/admin/pilots/{pilot.pk}/")
    page.locator("[data-header]").wait_for()


def move(page, label: str) -> None:
    """Press a move's button on the pilot page and wait for the page it lands on."""
    page.get_by_role("button", name=label, exact=True).click()
    page.locator("[data-header]").wait_for()
    assert label in page.locator(".messages").inner_text()


def review(page, kind: str) -> None:
    page.locator(f'[data-review="{kind}"]').get_by_role("link").click()
    page.locator("[data-score], [data-waiting]").first.wait_for()
    parsed(page)


def selfcheck(page) -> None:
    page.get_by_role("button", name="提交自查").click()
    page.locator("[data-score]").wait_for()
    assert "已提交自查" in page.content()


def score_and_sign(page, changes: dict[int, tuple[str, str]]) -> None:
    """Judge every indicator on the review page (the self-assessed points, or `changes`), then save and sign."""
    parsed(page)
    for card in page.locator("[data-indicator]").all():
        number = int(card.get_attribute("data-indicator"))
        points, reason = changes.get(number, (card.locator("[data-self-points]").inner_text(), ""))
        select = card.locator(f"select[name=p{number}]")
        if select.count():
            select.select_option(points)
        else:  # the deduction indicator: a number box
            card.locator(f"input[name=p{number}]").fill(points)
        if reason:
            card.locator(f"textarea[name=r{number}]").fill(reason)
    page.get_by_role("button", name="保存并签字确认").click()
    page.locator("[data-panel]").wait_for()
    assert "已签字确认评分" in page.locator(".messages").inner_text()


def early_move(page, name: str, label: str, reason: str) -> None:
    """Make a move held before the notice's date: open its form, give the 提前考核 reason, confirm."""
    form = page.locator(f'[data-move="{name}"]')
    form.locator("summary").click()
    form.locator("textarea[name=early_reason]").fill(reason)
    form.get_by_role("button", name=f"确认：{label}").click()
    page.locator("[data-header]").wait_for()
    assert label in page.locator(".messages").inner_text()


def test_a_city_from_application_to_a_granted_star(live_server, people, round_):
    log_in, refused = people
    base, bureau, province = live_server.url, log_in("bureau"), log_in("province")
    bureau_user = get_user_model().objects.get(username="bureau")
    city = region_by("city", "379900")
    self_assess(bureau_user, round_, city, BANDS[3])
    the_batch = batch(get_user_model().objects.get(username="province"))

    bureau.goto(base + "/admin/pilots/")
    bureau.get_by_role("button", name="开始申报").click()
    bureau.locator("[data-pilot-add]").wait_for()
    bureau.select_option("#id_region", str(city.pk))
    bureau.select_option("#id_target_star", "4")
    bureau.get_by_role("button", name="加入申报").click()
    bureau.locator("[data-application-pilots] [data-pilot]").wait_for()
    assert "250分 · 三星" in bureau.locator("[data-application-pilots]").inner_text()
    bureau.fill("#id_report", "示范市人民政府关于申报四星级新型智慧城市试点的报告")
    bureau.get_by_role("button", name="保存申请报告").click()
    bureau.locator("[data-upload] input[type=file]").set_input_files(
        {"name": "实施方案.pdf", "mimeType": "application/pdf", "buffer": PDF})
    bureau.get_by_role("button", name="上传").click()
    bureau.locator("[data-materials]").get_by_role("link", name="实施方案.pdf").wait_for()
    bureau.locator("[data-submit]").click()
    bureau.get_by_role("button", name="确认提交").click()
    bureau.locator("[data-report-text]").wait_for()
    assert "申报已提交，进入形式审查" in bureau.content()
    pilot = Pilot.objects.get()

    province.goto(base + "/admin/pilots/")
    province.locator("[data-queue]").get_by_role("link", name="示范市").click()
    province.locator("[data-header]").wait_for()
    move(province, "形式审查通过，进入专家评估")
    province.locator("[data-header]").get_by_role("link", name="示范市 · ").click()
    province.select_option("#id_expert", "expert")
    province.get_by_role("button", name="指派…").click()
    province.get_by_role("button", name="确认指派").click()
    province.locator("[data-experts] li", has_text="王专家").wait_for()

    expert = log_in("expert")
    expert.locator("[data-expert-desk]").get_by_role("link").click()  # the home lists the review
    expert.locator("[data-review-form]").wait_for()
    score_and_sign(expert, {1: ("0", "入户率证明材料不足")})
    signed(get_user_model().objects.get(username="province"), pilot, "application")  # two more experts sign

    open_pilot(province, base, pilot)
    move(province, "列入初步名单，进行现场复核")
    province.get_by_role("link", name="记录现场复核").click()
    province.fill("#id_visited_on", timezone.localdate().isoformat())
    province.fill("#id_members", "省大数据局 张三、李四")
    province.fill("#id_findings", "建设情况与申报材料一致")
    province.locator("#id_photos").set_input_files([{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
    province.get_by_role("button", name="保存现场复核").click()
    thumb = province.locator("[data-visits] img").first
    assert loaded_width(thumb) > 0  # served through the permission-checked view
    move(province, "现场复核确认，列入省级试点名单")
    province.goto(base + "/admin/pilots/batches/")
    province.get_by_role("link", name="公布名单").click()
    province.get_by_role("button", name="确认公布").click()
    public = province.locator("[data-public]")
    assert public.inner_text() == f"/pilots/{the_batch.year}/"
    response = province.goto(base + f"/pilots/{the_batch.year}/")
    assert response.status == 200
    assert "示范市" in province.locator("main").inner_text()

    open_pilot(province, base, pilot)
    early_move(province, "start_midterm", "开展中期考核", "全省统一部署，提前开展中期考核")
    assert "提前考核：全省统一部署" in province.locator("[data-history]").inner_text()
    self_assess(bureau_user, round_, city, BANDS[4])
    province_user = get_user_model().objects.get(username="province")
    for stage_pass, kind in (("midterm_pass", "midterm"), ("final_pass", "final")):
        open_pilot(bureau, base, pilot)
        review(bureau, kind)
        selfcheck(bureau)
        signed(province_user, Pilot.objects.get(), kind)
        open_pilot(province, base, pilot)
        if kind == "midterm":
            move(province, "中期考核通过")
        else:
            early_move(province, stage_pass, "终期验收通过，授予星级", "全省统一部署，提前验收")
    assert province.locator("[data-granted]").inner_text() == "授星 四星"
    assert Pilot.objects.get().stage == Stage.GRANTED
    assert not refused


def test_a_county_fails_the_final_acceptance_rectifies_and_is_granted(live_server, people, round_):
    log_in, refused = people
    base, bureau, province = live_server.url, log_in("bureau"), log_in("province")
    users = get_user_model().objects
    bureau_user, province_user = users.get(username="bureau"), users.get(username="province")
    county = region_by("county", "379921")
    self_assess(bureau_user, round_, county, BANDS[3])
    pilot = listed(province_user, applied(bureau_user, round_, county, batch(province_user)))
    batches.batch_publish(user=province_user, batch=pilot.application.batch)
    pilot = pilot_move(user=province_user, pilot=Pilot.objects.get(pk=pilot.pk), move="start_midterm",
                       early_reason="提前考核")
    for kind, step in (("midterm", "midterm_pass"), ("final", None)):
        reviews.selfcheck_submit(user=bureau_user, pilot=pilot, round_=round_)
        signed(province_user, pilot, kind)
        pilot = pilot_move(user=province_user, pilot=pilot, move=step) if step else pilot

    open_pilot(province, base, pilot)
    failing = province.locator('[data-move="final_fail"]')
    failing.locator("summary").click()
    due = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    failing.locator("textarea[name=early_reason]").fill("全省统一部署，提前验收")
    failing.locator("textarea[name=reason]").fill("专家评分未达到四星标准")
    failing.locator("input[name=deadline]").fill(due)
    failing.locator("input[name=task_title_1]").fill("完善城市运行管理服务平台")
    failing.locator("input[name=task_due_1]").fill(due)
    failing.get_by_role("button", name="确认：终期验收未通过，限期整改").click()
    province.locator("[data-tasks]").wait_for()
    assert "现为“限期整改”" in province.content()

    open_pilot(bureau, base, pilot)
    task = bureau.locator("[data-task]")
    task.locator("textarea").fill("平台已上线运行，接入部门 32 个")
    task.get_by_role("button", name="报告完成").click()
    bureau.locator("[data-task]", has_text="报告完成：").wait_for()
    move(bureau, "整改完成，申请整改验收")
    self_assess(bureau_user, round_, county, BANDS[4])
    review(bureau, "recheck")
    selfcheck(bureau)
    assert "380" in bureau.locator("[data-self-total]").inner_text()

    signed(province_user, Pilot.objects.get(pk=pilot.pk), "recheck")
    open_pilot(province, base, pilot)
    move(province, "整改验收通过，授予星级")
    assert province.locator("[data-granted]").inner_text() == "授星 四星"
    assert not refused
