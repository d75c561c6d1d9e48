"""The bureau's screens walked over HTTP as a person uses them: the list, one assessment grouped by category with
its summary and plan, entering and overriding an indicator, the drill-down, the printable sheet, snapshots,
exports, the province overview (sorting, export) and scope (another city's bureau gets 404, the overview 403)."""

import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from assessments import services
from assessments.models import IndicatorValue
from communities.models import CityPage, ProvincePage, Role, UnitPage
from tests.assessments.assessment_factory import smart
from tests.coverage.coverage_factory import build_region

PAGE = "/admin/assessments/2026/city/379900/"


@pytest.fixture
def logged_in(client, assess, bureau):
    client.force_login(bureau)
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def total_of(page: str) -> int:
    return int(re.search(r'data-total>(-?\d+)<', page).group(1))


def test_the_list_shows_the_city_and_its_counties(logged_in):
    page = text(logged_in.get("/admin/assessments/"))
    assert [code for code in re.findall(r'data-region="(\d+)"', page)] == ["379900", "379905", "379921", "379981"]
    assert PAGE in page and "全省自评总览" not in page
    assert '"/admin/assessments/"' in text(logged_in.get("/admin/"))  # the menu item


def test_the_assessment_page_groups_the_six_categories_with_summary_and_plan(logged_in):
    page = text(logged_in.get(PAGE))
    assert re.findall(r'data-category-key="(\w+)"', page) == ["infrastructure", "services", "governance",
                                                               "economy", "safeguards", "local"]
    assert page.count('data-indicator="') == 49
    assert total_of(page) == 0 and "0分，未达到星级（一星需50分）" in page
    assert 'data-chart="band"' in page and 'data-chart="categories"' in page
    assert 'data-move="48"' in page and "第48项 优政、惠民、兴业方面的创新示范：0分 → 50分" in page
    assert not re.findall(r'src="(?:https?:)?//', page)  # nothing from the internet


def test_entering_an_indicator_changes_the_total_and_the_plan(logged_in):
    form = text(logged_in.get(PAGE + "indicators/1/"))
    assert "光纤入户用户数/区域内总户数。" in form and "家庭光纤宽带入户率达到90%，8分" in form
    assert "0到100之间的百分数" in form
    bad = text(logged_in.post(PAGE + "indicators/1/", {"percent": "九十", "note": ""}))
    assert "请输入0到100之间的百分数" in bad and not IndicatorValue.objects.exists()
    response = logged_in.post(PAGE + "indicators/1/", {"percent": "90", "note": "通信管理局 2026-02"})
    assert response.status_code == 302 and response["Location"].endswith("#indicator-1")
    page = text(logged_in.get(PAGE))
    assert total_of(page) == 8
    assert "家庭光纤宽带入户率：当前 90.00% → 需 ≥ 100%" in page and "+2分" in page
    assert re.search(r'data-points-needed>42<', page)
    detail = text(logged_in.get(PAGE + "indicators/1/"))
    assert "由 bureau 页面填报" in detail and "通信管理局 2026-02" in detail
    assert "（无） → 家庭光纤宽带入户率 90.00%；说明：通信管理局 2026-02" in detail


def test_the_indicator_log_reads_labels_not_internal_keys(logged_in):
    # Issue 20: the log showed "special_fund=True；diversified_investment=False".
    logged_in.post(PAGE + "indicators/43/", {"special_fund": "true", "diversified_investment": "false",
                                             "social_capital_percent": "35", "note": "财政局决算"})
    logged_in.post(PAGE + "indicators/40/", {"level": "principal_leader", "note": "市政府文件"})
    funding = text(logged_in.get(PAGE + "indicators/43/"))
    history = funding[funding.index("data-history"):funding.index("</table>", funding.index("data-history"))]
    assert "special_fund" not in history and "True" not in history and "=" not in history
    assert re.search(r"（无） → [^<]*是；[^<]*否；[^<]*35\.00%；说明：财政局决算", history)
    mechanism = text(logged_in.get(PAGE + "indicators/40/"))
    history = mechanism[mechanism.index("data-history"):mechanism.index("</table>", mechanism.index("data-history"))]
    assert "制度机制 成立智慧城市建设工作领导小组并由政府主要领导担任领导小组领导" in history
    assert "principal_leader" not in history


def test_form_errors_are_styled_as_errors_and_tied_to_their_field(logged_in):
    # Issue 20: form errors were plain black text, not tied to the field.
    page = text(logged_in.post(PAGE + "indicators/1/", {"percent": "九十", "note": ""}))
    wrapper = re.search(r'<div class="w-field [^"]*w-field--error"[^>]*>(.*?)</div>\s*</div>\s*</div>', page, re.S)
    assert wrapper and 'id="id_percent_error"' in wrapper.group(1)
    assert re.search(r'<p class="error-message">\s*家庭光纤宽带入户率：请输入0到100之间的百分数', page)
    field = re.search(r'<input[^>]*name="percent"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field and "id_percent_error" in field


def test_overriding_a_computed_indicator_needs_a_reason_and_shows_both(logged_in, assess):
    smart(assess, "379902001001")
    form = text(logged_in.get(PAGE + "indicators/24/"))
    assert "用自有数据替代社区汇总值" in form and "范围内社区16个" in form
    refused = text(logged_in.post(PAGE + "indicators/24/", {"percent": "90", "note": ""}))
    assert "必须说明理由" in refused
    logged_in.post(PAGE + "indicators/24/", {"percent": "90", "note": "城管局网格台账"})
    page = text(logged_in.get(PAGE))
    row = re.search(r'data-indicator="24"(.*?)</tr>', page, re.S).group(1)
    assert "填报（替代社区汇总值）" in row and "社区汇总值 6.25%（0分）" in row
    drill = text(logged_in.get(PAGE + "indicators/24/communities/"))
    assert drill.count('data-community="') == 16 and "379902101001" not in drill  # no town


def test_the_printable_sheet_and_a_snapshot_that_never_drifts(logged_in, assess, bureau, city):
    services.indicator_save(user=bureau, round_=assess, region=city, number=48, values={"experiences": 3})
    services.evidence_attach(user=bureau, round_=assess, region=city, number=48,
                             data=b"%PDF-1.4\n%%EOF\n", filename="经验材料.pdf")
    sheet = text(logged_in.get(PAGE + "sheet/"))
    assert 'data-figure="total">50分' in sheet and "50分，一星（50-99分）" in sheet
    assert "1. 经验材料.pdf" in sheet and "实时数据" in sheet
    frozen = logged_in.post(PAGE + "snapshots/", {"note": "申报定稿"})
    assert frozen.status_code == 302 and "?snapshot=" in frozen["Location"]
    snapshot_url = frozen["Location"]
    services.indicator_save(user=bureau, round_=assess, region=city, number=1, values={"percent": "100"})
    assert total_of(text(logged_in.get(PAGE))) == 60
    frozen_page = text(logged_in.get(snapshot_url))
    assert total_of(frozen_page) == 50 and "data-frozen" in frozen_page and "冻结当前自评" not in frozen_page
    snapshot_id = snapshot_url.rsplit("=", 1)[1]
    frozen_sheet = text(logged_in.get(PAGE + f"sheet/?snapshot={snapshot_id}"))
    assert 'data-figure="total">50分' in frozen_sheet and f"快照 #{snapshot_id}" in frozen_sheet
    exported = json.loads(text(logged_in.get(PAGE + f"export/?format=json&snapshot={snapshot_id}")))
    assert exported["assessments"][0]["total"] == 50


def test_exports_of_one_assessment(logged_in, assess, bureau, city):
    services.indicator_save(user=bureau, round_=assess, region=city, number=1, values={"percent": "90"},
                            note="=HYPERLINK(\"http://example.com\")")
    data = json.loads(text(logged_in.get(PAGE + "export/?format=json")))
    assert data["standard"]["code"] == "SD-ZHCS-2019" and data["assessments"][0]["code"] == "379900"
    csv = logged_in.get(PAGE + "export/?format=csv")
    assert csv.content.startswith("\ufeff".encode()) and "家庭光纤入户率" in csv.content.decode()
    assert "'=HYPERLINK" in csv.content.decode()  # a note is never a formula in Excel
    book = load_workbook(io.BytesIO(logged_in.get(PAGE + "export/?format=xlsx").content), read_only=True)
    assert book.sheetnames == ["自评汇总", "指标明细"]


def test_scope_another_city_sees_nothing_a_county_only_itself(client, assess, make_user):
    build_region([("379801", "另一县", "county", [("001", "subdistrict", 1)])])
    client.force_login(make_user("other-city", Role.BUREAU, CityPage.objects.get(code="379800")))
    for url in (PAGE, PAGE + "indicators/1/", PAGE + "sheet/", PAGE + "export/?format=json",
                "/admin/assessments/2026/county/379921/"):
        assert client.get(url).status_code == 404, url
    assert client.post(PAGE + "indicators/1/", {"percent": "90"}).status_code == 404
    assert not IndicatorValue.objects.exists()
    page = text(client.get("/admin/assessments/"))
    assert re.findall(r'data-region="(\d+)"', page) == ["379800", "379801"]
    client.force_login(make_user("county-bureau", Role.BUREAU, UnitPage.objects.get(code="379921")))
    assert client.get(PAGE).status_code == 404
    assert client.get("/admin/assessments/2026/county/379921/").status_code == 200
    assert client.get("/admin/assessments/overview/").status_code == 403
    client.force_login(make_user("a-verifier", Role.VERIFIER, UnitPage.objects.get(code="379921")))
    assert client.get("/admin/assessments/2026/county/379921/").status_code == 404
    assert client.get("/admin/assessments/").status_code == 403
    assert '"/admin/assessments/"' not in text(client.get("/admin/"))  # no menu item for verifiers


def test_the_province_overview_sorts_and_exports(client, assess, bureau, city, county, make_user):
    services.indicator_save(user=bureau, round_=assess, region=county, number=1, values={"percent": "100"})
    services.indicator_save(user=bureau, round_=assess, region=city, number=1, values={"percent": "50"})
    client.force_login(bureau)
    assert client.get("/admin/assessments/overview/").status_code == 403  # a city's bureau
    client.force_login(make_user("province", Role.BUREAU, ProvincePage.objects.get()))
    page = text(client.get("/admin/assessments/overview/"))
    assert re.findall(r'data-region="(\d+)"', page)[:2] == ["379921", "379900"]  # by total, highest first
    ascending = text(client.get("/admin/assessments/overview/?sort=total&order=asc"))
    assert re.findall(r'data-region="(\d+)"', ascending)[-1] == "379921"
    by_name = text(client.get("/admin/assessments/overview/?sort=code&order=asc"))
    assert re.findall(r'data-region="(\d+)"', by_name) == ["379900", "379905", "379921", "379981"]
    assert 'data-sort="infrastructure"' in page and "基础设施" in page
    csv = client.get("/admin/assessments/overview/?format=csv&sort=total").content.decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0].startswith("级别,代码,名称,总分,满分,星级,缺项数,下一星级,距下一星级还差(分),基础设施")
    assert lines[1].split(",")[1:4] == ["379921", "示范县", "10"]
    book = load_workbook(io.BytesIO(client.get("/admin/assessments/overview/?format=xlsx").content), read_only=True)
    assert book.sheetnames == ["自评汇总"] and len(list(book["自评汇总"].iter_rows())) == 5


def test_an_administrator_may_do_everything(client, assess):
    client.force_login(get_user_model().objects.get(username="admin"))
    assert client.get("/admin/assessments/overview/").status_code == 200
    assert client.post(PAGE + "indicators/2/", {"download_speed": "30", "note": ""}).status_code == 302


def test_without_the_scoring_standard_the_screens_say_so(client, round_, demo, bureau):
    client.force_login(bureau)
    for url in ("/admin/assessments/", PAGE):
        assert "尚未载入评分标准 SD-ZHCS-2019，请先运行 load_standard" in text(client.get(url))


def test_the_coverage_drill_down_lists_smart_communities(client, assess, bureau):
    smart(assess, "379921001001")
    client.force_login(bureau)
    page = text(client.get("/admin/assessments/2026/county/379921/indicators/52/communities/"))
    assert page.count('data-community="') == 4 and "范围内社区4个，其中智慧社区1个" in page
    row = re.search(r'data-community="379921001001">(.*?)</tr>', page, re.S).group(1)
    assert "智慧社区" in row and "<td>是</td>" in row
    assert client.get("/admin/assessments/2026/county/379921/indicators/1/communities/").status_code == 404


def test_a_number_too_long_to_read_is_named_on_the_field_and_parsed_outside_any_lock(logged_in, monkeypatch):
    from django.db import connection

    from standards import scoring

    form = text(logged_in.get(PAGE + "indicators/6/"))
    assert 'maxlength="46"' in form
    for digits in (5_000, 600_000):
        refused = text(logged_in.post(PAGE + "indicators/6/", {"departments": "9" * digits, "note": ""}))
        assert "数值过长：最多30位数字" in refused and not IndicatorValue.objects.exists()
    depths, real = [], scoring.parse_inputs
    baseline = len(connection.atomic_blocks)
    monkeypatch.setattr(scoring, "parse_inputs",
                        lambda *args: depths.append(len(connection.atomic_blocks) - baseline) or real(*args))
    assert logged_in.post(PAGE + "indicators/6/", {"departments": "4", "note": ""}).status_code == 302
    assert IndicatorValue.objects.get(number=6).values == {"departments": 4}
    assert depths == [0]  # the values were read once, before the round's scoring pin was locked



def test_the_assessment_screens_in_english_and_in_chinese(logged_in, in_english):
    # One language per screen (issue 20): an English session reads the list, an assessment and an indicator in
    # English (the standard's indicator names stay as written); with no choice they stay Chinese, word for word.
    page = text(logged_in.get(PAGE))
    assert "0分，未达到星级（一星需50分）" in page and "打印自评表" in page
    assert "Print self-assessment sheet" not in page
    in_english(logged_in)
    listing = text(logged_in.get("/admin/assessments/"))
    assert "Assessed unit" in listing and "City (Annex 1)" in listing and "评价对象" not in listing
    page = text(logged_in.get(PAGE))
    for words in ("0 points, no star rating yet (one star needs 50 points)", "Print self-assessment sheet",
                  "Next star rating", "Supporting evidence", "Freeze current self-assessment"):
        assert words in page, words
    assert "打印自评表" not in page and "未达到星级" not in page and "下一星级" not in page
    indicator = text(logged_in.get(PAGE + "indicators/1/"))
    assert "Definition: " in indicator and "Reporting history" in indicator and "指标说明" not in indicator
    sheet = text(logged_in.get(PAGE + "sheet/"))
    assert "new smart city self-assessment sheet" in sheet and "Back to the self-assessment" in sheet
    assert "返回自评" not in sheet and "评价对象" not in sheet
