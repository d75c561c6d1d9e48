"""Departments fill a template: assign indicators, download the XLSX, fill it with openpyxl as a department
would, import it (atomic, every bad cell named by its address), over HTTP as a bureau does it."""

import io
import re
import tracemalloc

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from assessments import departments, selectors
from assessments.models import Department, IndicatorValue
from assessments.regions import region_by
from assessments.workbooks import TemplateError, template_import, template_workbook
from communities.models import CityPage, Role
from intake.spreadsheets import DOCTYPE
from tests.coverage.coverage_factory import build_region
from tests.intake.xlsx_factory import dimension_bomb, with_doctype

BASE = "/admin/assessments/2026/city/379900/"


@pytest.fixture
def police(assess, bureau, city):
    return departments.department_save(user=bureau, round_=assess, region=city, name="公安局", indicators=[4, 5, 24])


def rows_of(data: bytes) -> dict[tuple[int, str], int]:
    """Return {(indicator, input key): row} of a template."""
    sheet = load_workbook(io.BytesIO(data))["填报"]
    return {(row[0].value, row[3].value): row[0].row for row in sheet.iter_rows(min_row=4) if row[0].value}


def fill(data: bytes, cells: dict[str, object]) -> bytes:
    book = load_workbook(io.BytesIO(data))
    for address, value in cells.items():
        book["填报"][address] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_departments_are_scoped_validated_and_logged(assess, bureau, city, make_user, police):
    assert police.indicators == [4, 5, 24]
    with pytest.raises(departments.AssessmentError, match="没有这些指标：99"):
        departments.department_save(user=bureau, round_=assess, region=city, name="卫健委", indicators=[99])
    with pytest.raises(departments.AssessmentError, match="已有名为“公安局”的部门"):
        departments.department_save(user=bureau, round_=assess, region=city, name="公安局", indicators=[1])
    stranger = make_user("stranger", Role.BUREAU)
    with pytest.raises(PermissionDenied):
        departments.department_save(user=stranger, round_=assess, region=city, name="卫健委", indicators=[1])
    changed = departments.department_save(user=bureau, round_=assess, region=city, name="公安局",
                                          indicators=[4], department=police)
    assert changed.pk == police.pk and changed.indicators == [4]


def test_template_round_trip(assess, bureau, city, police):
    data = template_workbook(selectors.result_for(assess, city), police)
    rows = rows_of(data)
    assert set(rows) == {(4, "coverage_percent"), (4, "integrity_percent"), (5, "percent"), (24, "percent")}
    sheet = load_workbook(io.BytesIO(data))["填报"]
    assert [c.value for c in sheet[2]][:8] == ["轮次", "2026", "级别", "设区市（附件1）", "代码", "379900", "部门",
                                               "公安局"]
    assert "留空即采用汇总值" in sheet[f"F{rows[(24, 'percent')]}"].value
    filled = fill(data, {f"G{rows[(4, 'coverage_percent')]}": "92.5", f"G{rows[(4, 'integrity_percent')]}": 95,
                         f"H{rows[(4, 'coverage_percent')]}": "公安局 2026-03 统计"})
    report = template_import(user=bureau, result=selectors.result_for(assess, city), department=police, data=filled)
    assert report.ok and report.saved == 1
    value = IndicatorValue.objects.get(number=4)
    assert value.values == {"coverage_percent": "92.5", "integrity_percent": "95"}
    assert (value.via, value.department, value.note) == ("template", "公安局", "公安局 2026-03 统计")
    # The next template comes back filled with what is entered; importing it unchanged changes nothing.
    again = template_workbook(selectors.result_for(assess, city), police)
    assert load_workbook(io.BytesIO(again))["填报"][f"G{rows[(4, 'coverage_percent')]}"].value == "92.5"
    assert template_import(user=bureau, result=selectors.result_for(assess, city), department=police,
                           data=again).ok


def test_a_bad_cell_is_named_by_its_address_and_nothing_is_kept(assess, bureau, city, police):
    data = template_workbook(selectors.result_for(assess, city), police)
    rows = rows_of(data)
    coverage, integrity = rows[(4, "coverage_percent")], rows[(4, "integrity_percent")]
    grid = rows[(24, "percent")]
    filled = fill(data, {f"G{rows[(5, 'percent')]}": "80", f"G{coverage}": "abc", f"G{integrity}": "90",
                         f"G{grid}": "90"})
    report = template_import(user=bureau, result=selectors.result_for(assess, city), department=police, data=filled)
    messages = [str(e) for e in report.errors]
    assert f"G{coverage}：城市重点公共区域高清视频监控覆盖率：请输入0到100之间的百分数" in messages
    assert f"H{grid}：本指标由社区数据汇总得出；填报自有数据替代时必须说明理由（数据来源）" in messages
    assert len(messages) == 2
    assert not IndicatorValue.objects.exists()  # indicator 5 was fine, but the template is all or nothing
    tampered = fill(data, {"F2": "379921", f"A{grid}": 7, f"G{grid}": "1"})
    errors = [str(e) for e in template_import(user=bureau, result=selectors.result_for(assess, city),
                                              department=police, data=tampered).errors]
    assert errors == ["F2：模板属于“379921”，不是本次自评的“379900”"]


def test_the_bureau_walks_the_template_over_http(client, assess, bureau, city, make_user):
    client.force_login(bureau)
    page = client.get(BASE + "departments/")
    assert page.status_code == 200 and "添加部门" in page.content.decode()
    response = client.post(BASE + "departments/", {"name": "卫健委", "indicators": ["19", "10"]})
    assert response.status_code == 302
    health = Department.objects.get(name="卫健委")
    assert health.indicators == [10, 19]
    listing = client.get(BASE + "departments/").content.decode()
    assert 'data-department="卫健委"' in listing and "第19项" in listing
    template = client.get(BASE + f"departments/{health.pk}/template/")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    rows = rows_of(template.content)
    (number, key), row = next(iter(rows.items()))
    failed = client.post(BASE + f"departments/{health.pk}/import/",
                         {"file": upload(fill(template.content, {f"G{row}": "-3"}))})
    text = failed.content.decode()
    assert failed.status_code == 200 and "模板未导入" in text and f"G{row}：" in text
    done = client.post(BASE + f"departments/{health.pk}/import/",
                       {"file": upload(fill(template.content, {f"G{row}": "50"}))})
    assert done.status_code == 302 and IndicatorValue.objects.get(number=number).department == "卫健委"
    refused = client.post(BASE + f"departments/{health.pk}/import/", {"file": upload(b"%PDF-1.4 fake")}, follow=True)
    assert "未导入" in refused.content.decode()
    build_region([("379801", "另一县", "county", [("001", "subdistrict", 1)])])
    client.force_login(make_user("other-city", Role.BUREAU, CityPage.objects.get(code="379800")))
    assert client.get(BASE + "departments/").status_code == 404
    assert client.get(BASE + f"departments/{health.pk}/template/").status_code == 404


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("filled.xlsx", data)


def test_bools_and_levels_round_trip_by_their_words(assess, bureau, city):
    finance = departments.department_save(user=bureau, round_=assess, region=city, name="财政局", indicators=[40, 43])
    data = template_workbook(selectors.result_for(assess, city), finance)
    rows = rows_of(data)
    leader = "成立智慧城市建设工作领导小组并由政府主要领导担任领导小组领导"
    filled = fill(data, {f"G{rows[(43, 'special_fund')]}": "是", f"G{rows[(43, 'diversified_investment')]}": "否",
                         f"G{rows[(43, 'social_capital_percent')]}": "35", f"G{rows[(40, 'level')]}": leader,
                         f"H{rows[(43, 'special_fund')]}": "财政局 2026 年决算"})
    report = template_import(user=bureau, result=selectors.result_for(assess, city), department=finance, data=filled)
    assert report.ok, report.errors
    assert IndicatorValue.objects.get(number=43).values == {"special_fund": True, "diversified_investment": False,
                                                            "social_capital_percent": "35"}
    assert IndicatorValue.objects.get(number=40).values == {"level": "principal_leader"}
    again = load_workbook(io.BytesIO(template_workbook(selectors.result_for(assess, city), finance)))["填报"]
    assert again[f"G{rows[(43, 'special_fund')]}"].value == "是"
    assert again[f"G{rows[(40, 'level')]}"].value == leader


def test_the_template_speaks_chinese_levels_and_still_reads_old_code_valued_files(assess, bureau, city):
    # Issue 20: levels had to be filled as `leading_group` / `principal_leader`, the drop-down offered only
    # those codes, and the header said "级别 city".
    finance = departments.department_save(user=bureau, round_=assess, region=city, name="财政局", indicators=[40])
    data = template_workbook(selectors.result_for(assess, city), finance)
    book = load_workbook(io.BytesIO(data))
    sheet, row = book["填报"], rows_of(data)[(40, "level")]
    assert sheet["D2"].value == "设区市（附件1）" and sheet.column_dimensions["D"].hidden
    cell = f"G{row}"
    (listed,) = [v for v in sheet.data_validations.dataValidation if cell in v.sqref]
    sheet_name, cells = listed.formula1.split("!")
    options = [c.value for (c,) in book[sheet_name.strip("'")][cells.replace("$", "")]]
    leader = "成立智慧城市建设工作领导小组并由政府主要领导担任领导小组领导"
    assert options[:2] == ["成立智慧城市建设工作领导小组", leader]
    assert len(options) == 5 and book[sheet_name.strip("'")].sheet_state == "hidden"
    help_text = sheet[f"F{row}"].value
    assert "leading_group" not in help_text and "成立智慧城市建设工作领导小组" in help_text
    # A template downloaded before: its header carries the level's code and its cell an option's code.
    old = fill(data, {"D2": "city", cell: "annual_meetings", f"H{row}": "市政府 2026 年文件"})
    report = template_import(user=bureau, result=selectors.result_for(assess, city), department=finance, data=old)
    assert report.ok, report.errors
    assert IndicatorValue.objects.get(number=40).values == {"level": "annual_meetings"}
    wrong = fill(data, {"D2": "县"})
    errors = [str(e) for e in template_import(user=bureau, result=selectors.result_for(assess, city),
                                              department=finance, data=wrong).errors]
    assert errors == ["D2：模板属于“县”，不是本次自评的“设区市（附件1）”"]


def test_a_department_is_changed_and_deleted_over_http(client, assess, bureau, police):
    client.force_login(bureau)
    form = client.get(BASE + f"departments/?edit={police.pk}").content.decode()
    assert "修改“公安局”" in form and len(re.findall(r'value="(?:4|5|24)"[^>]*checked', form)) == 3
    changed = client.post(BASE + f"departments/?edit={police.pk}", {"name": "市公安局", "indicators": ["4"]})
    assert changed.status_code == 302
    police.refresh_from_db()
    assert (police.name, police.indicators) == ("市公安局", [4])
    clash = client.post(BASE + "departments/", {"name": "市公安局", "indicators": ["5"]})
    assert "已有名为“市公安局”的部门" in clash.content.decode()
    assert client.post(BASE + f"departments/{police.pk}/delete/").status_code == 302
    assert not Department.objects.exists()
    assert client.get(BASE + f"departments/?edit={police.pk}").status_code == 404


# --- the template goes through the bounded spreadsheet intake ---------------------------------------------------

@pytest.fixture
def security(assess, bureau, city):
    """A department reporting indicator 6, a count (公共安全视频图像服务政府其他职能部门的个数)."""
    return departments.department_save(user=bureau, round_=assess, region=city, name="政法委", indicators=[6])


def test_a_template_with_a_doctype_is_refused_by_name_over_http(client, assess, bureau, security):
    client.force_login(bureau)
    data = with_doctype(template_workbook(selectors.result_for(assess, region_by("city", "379900")), security))
    page = client.post(BASE + f"departments/{security.pk}/import/", {"file": upload(data)}, follow=True)
    assert page.status_code == 200 and f"未导入：{DOCTYPE}" in page.content.decode()
    assert not IndicatorValue.objects.exists()


def test_the_declared_dimension_never_pads_the_rows(assess, bureau, city, security):
    result = selectors.result_for(assess, city)
    bomb = dimension_bomb(template_workbook(result, security), last="A400")  # says A1:XFD1048576
    tracemalloc.start()
    report = template_import(user=bureau, result=result, department=security, data=bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [str(e) for e in report.errors] == ["A400：“x”不是政法委负责的指标编号"]
    assert peak < 16 * 1024 * 1024  # read as padded rows, 400 × 16,384 cells took over 50 MB


def test_the_red_teams_six_kilobyte_template_is_a_named_error(assess, bureau, city, security):
    result = selectors.result_for(assess, city)
    bomb = dimension_bomb(template_workbook(result, security))  # one cell in XFD1048576
    with pytest.raises(TemplateError, match="第1048576行：表格超过5000行"):
        template_import(user=bureau, result=result, department=security, data=bomb)


def test_a_count_too_long_to_read_is_named_by_its_cell(client, assess, bureau, city, security):
    client.force_login(bureau)
    data = template_workbook(selectors.result_for(assess, city), security)
    row = rows_of(data)[(6, "departments")]
    for digits in (5_000, 600_000):
        page = client.post(BASE + f"departments/{security.pk}/import/",
                           {"file": upload(fill(data, {f"G{row}": "9" * digits}))})
        named = f"G{row}：公共安全视频图像服务政府其他职能部门的个数：数值过长：最多30位数字"
        assert page.status_code == 200 and named in page.content.decode()
    assert not IndicatorValue.objects.exists()
    good = client.post(BASE + f"departments/{security.pk}/import/", {"file": upload(fill(data, {f"G{row}": 3}))})
    assert good.status_code == 302 and IndicatorValue.objects.get(number=6).values == {"departments": 3}


def test_values_are_parsed_before_the_import_locks_anything(assess, bureau, city, security, monkeypatch):
    from django.db import connection

    from standards import scoring

    depths, real = [], scoring.parse_inputs
    baseline = len(connection.atomic_blocks)
    monkeypatch.setattr(scoring, "parse_inputs",
                        lambda *args: depths.append(len(connection.atomic_blocks) - baseline) or real(*args))
    data = template_workbook(selectors.result_for(assess, city), security)
    filled = fill(data, {f"G{rows_of(data)[(6, 'departments')]}": "3"})
    assert template_import(user=bureau, result=selectors.result_for(assess, city), department=security,
                           data=filled).ok
    assert depths == [0]


def test_a_template_downloaded_in_english_is_chinese_and_imports(client, assess, bureau, city, police, settings):
    _template_in_english(client, bureau, police, settings)


def _template_in_english(client, bureau, police, settings):
    # The template's sheet, headers and level label are read back on import: it is written in Chinese whoever
    # downloads it, so one downloaded in an English session imports like any other (issue 20).
    client.force_login(bureau)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = client.get(f"{BASE}departments/{police.pk}/template/").content
    sheet = load_workbook(io.BytesIO(data))["填报"]
    assert [c.value for c in sheet[2]][2:4] == ["级别", "设区市（附件1）"]
    filled = fill(data, {f"G{rows_of(data)[(5, 'percent')]}": "80"})
    upload = SimpleUploadedFile("t.xlsx", filled)
    page = client.post(f"{BASE}departments/{police.pk}/import/", {"file": upload}, follow=True).content.decode()
    assert IndicatorValue.objects.get(number=5).values == {"percent": "80"}
    assert "Imported 1 indicator from the template of “公安局”" in page
