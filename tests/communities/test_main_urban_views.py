"""主城区确认 over HTTP, as a city's bureau uses it: the screen, the form's errors and refusals, the way back to the
page that sent them, and the "主城区未确认" notices on the coverage and self-assessment screens."""

import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageLogEntry

from communities.main_urban import CONFIRMED
from communities.models import CityPage, DivisionKind, Role, UnitKind, UnitPage
from tests.factories import CityFactory, UnitFactory

MAIN, INDEPENDENT = UnitKind.MAIN_URBAN_DISTRICT, UnitKind.INDEPENDENT_DISTRICT
DISTRICTS = ("379902", "379903", "379905")
URL = "/admin/main-urban/379900/"


@pytest.fixture
def imported(demo):
    UnitPage.objects.filter(code__in=DISTRICTS).update(division_kind=DivisionKind.DISTRICT, kind_confirmed=False,
                                                       kind=MAIN)
    return CityPage.objects.get(code="379900")


@pytest.fixture
def as_bureau(client, bureau):
    client.force_login(bureau)
    return client


def state_token(html: str) -> str:
    return re.search(r'name="state" value="([0-9a-f]+)"', html).group(1)


def kinds() -> dict[str, tuple[str, bool]]:
    return {u.code: (u.kind, u.kind_confirmed) for u in UnitPage.objects.filter(code__in=DISTRICTS)}


def form_data(client, **overrides) -> dict:
    data = {f"kind_{code}": MAIN for code in DISTRICTS}
    data["state"] = state_token(client.get(URL).content.decode())
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


WAITING = {code: (MAIN, False) for code in DISTRICTS}


def test_the_screen_lists_the_districts_and_what_the_city_decides(as_bureau, imported):
    assert as_bureau.get("/admin/main-urban/")["Location"] == URL  # one city: straight to it
    page = as_bureau.get(URL).content.decode()
    assert "主城区未确认" in page and "3个区尚待本市确认" in page
    district = re.search(r'data-district="379903">(.*?)</fieldset>', page, re.S).group(1)
    assert "<legend>示范新区（379903）</legend>" in district and "区划类型：市辖区" in district
    assert "待确认" in district and 'value="main_urban_district" id="id_kind_379903_0" required checked' in district
    fixed = re.search(r"data-fixed-units>(.*?)</table>", page, re.S).group(1)
    assert "示范县（379921）" in fixed and "示范县级市（379981）" in fixed and "kind_379921" not in page
    assert "尚无确认记录" in page


def test_confirming_records_the_decision_and_says_so(as_bureau, imported):
    response = as_bureau.post(URL, form_data(as_bureau, kind_379903=INDEPENDENT), follow=True)
    page = response.content.decode()
    assert "已确认示范市的主城区：3个区的类型已记录" in page
    assert kinds() == {"379902": (MAIN, True), "379903": (INDEPENDENT, True), "379905": (MAIN, True)}
    history = re.search(r"data-decisions>(.*?)</table>", page, re.S).group(1)
    assert "bureau" in history and "示范新区：主城区（计入设区市）（待确认） → 独立性较强的建制区" in history
    assert "主城区未确认" not in page and page.count("已确认") >= 3
    again = as_bureau.post(URL, form_data(as_bureau, kind_379903=INDEPENDENT), follow=True).content.decode()
    assert "各区类型均已确认，没有变化" in again
    assert PageLogEntry.objects.filter(action=CONFIRMED).count() == 1


@pytest.mark.parametrize("overrides, message", [
    ({"kind_379905": None}, "请为示范海岛区选择类型"),
    ({"kind_379905": "county"}, "请选择“主城区”或“独立性较强的建制区”"),
])
def test_a_bad_form_names_the_district_and_changes_nothing(as_bureau, imported, overrides, message):
    response = as_bureau.post(URL, form_data(as_bureau, **overrides))
    assert response.status_code == 200
    district = re.search(r'data-district="379905">(.*?)</fieldset>', response.content.decode(), re.S).group(1)
    assert message in district and "mu-district--error" in response.content.decode()
    assert kinds() == WAITING and not PageLogEntry.objects.filter(action=CONFIRMED).exists()


def test_a_county_cannot_be_slipped_into_the_form(as_bureau, imported):
    as_bureau.post(URL, form_data(as_bureau, kind_379921=INDEPENDENT))
    assert UnitPage.objects.get(code="379921").kind == UnitKind.COUNTY


def test_a_stale_form_is_refused_and_shown_again(as_bureau, imported):
    stale = form_data(as_bureau)
    as_bureau.post(URL, form_data(as_bureau, kind_379905=INDEPENDENT))
    response = as_bureau.post(URL, {**stale, "kind_379905": MAIN}, follow=True)
    assert "提交前各区类型已被他人修改，请查看当前情况后重新提交" in response.content.decode()
    assert kinds()["379905"] == (INDEPENDENT, True)


def test_it_goes_back_to_the_page_that_sent_the_user_only_if_it_is_ours(as_bureau, imported):
    back = "/admin/coverage/city/379900/?round=2026"
    response = as_bureau.post(URL + "?next=" + back.replace("?", "%3F").replace("=", "%3D"), form_data(as_bureau))
    assert response["Location"] == back
    response = as_bureau.post(URL, {**form_data(as_bureau), "next": "https://elsewhere.example/"})
    assert response["Location"] == URL


def test_who_is_turned_away(client, imported, make_user):
    county = make_user("county-bureau", Role.BUREAU, UnitPage.objects.get(code="379921"))
    client.force_login(county)
    assert client.get(URL)["Location"] == "/admin/"
    assert client.get("/admin/main-urban/")["Location"] == "/admin/"
    assert client.post(URL, {"kind_379902": INDEPENDENT})["Location"] == "/admin/"
    assert kinds() == WAITING
    client.force_login(get_user_model().objects.get(username="bureau"))
    assert client.get("/admin/main-urban/370100/").status_code == 404
    CityPage.objects.filter(code="379900").update(retired_at="2026-01-01T00:00:00Z")
    assert client.get(URL).status_code == 404


def test_administrators_choose_among_the_cities(client, imported):
    other = CityFactory(code="379700", title="另一市")
    UnitFactory(parent=other, code="379701", kind=MAIN)
    client.force_login(get_user_model().objects.get(username="admin"))
    page = client.get("/admin/main-urban/").content.decode()
    assert 'data-city="379700"' in page and "已确认" in re.search(r'data-city="379700">(.*?)</tr>', page, re.S)[1]
    assert "主城区未确认：3个区待确认" in re.search(r'data-city="379900">(.*?)</tr>', page, re.S)[1]


# --- the notices on the coverage and self-assessment screens ---------------------------------------------------

def notice(html: str) -> str:
    return re.search(r'data-main-urban-unconfirmed="379900"(.*?)</div>', html, re.S).group(1)


@pytest.mark.parametrize("url", ["/admin/coverage/", "/admin/coverage/city/379900/", "/admin/coverage/unit/379903/"])
def test_coverage_says_the_main_urban_area_is_unconfirmed(as_bureau, imported, round_, url):
    UnitPage.objects.filter(code="379905").update(kind=INDEPENDENT)
    text = notice(as_bureau.get(url).content.decode())
    assert "示范市主城区未确认" in text
    assert "假定为主城区：<span data-assumed-main-urban>示范中心区、示范新区</span>" in text
    assert "假定为独立性较强的建制区：示范海岛区" in text
    assert f'href="{URL}?next=' in text and "去确认主城区" in text
    as_bureau.post(URL, form_data(as_bureau))
    assert "data-main-urban-unconfirmed" not in as_bureau.get(url).content.decode()


def test_the_sheet_and_a_snapshot(as_bureau, imported, round_):
    sheet = as_bureau.get("/admin/coverage/sheet/city/379900/").content.decode()
    assert "主城区未确认：示范中心区、示范新区、示范海岛区目前假定为主城区" in sheet


def test_a_verifier_is_told_whom_to_ask(client, imported, round_, verifier):
    client.force_login(verifier)
    text = notice(client.get("/admin/coverage/").content.decode())
    assert "请本市大数据局在“主城区确认”中确认" in text and "href" not in text


def test_the_self_assessment_says_so_too(as_bureau, imported, assess):
    text = notice(as_bureau.get("/admin/assessments/").content.decode())
    assert "示范中心区、示范新区、示范海岛区" in text and "去确认主城区" in text
    page = as_bureau.get("/admin/assessments/2026/city/379900/").content.decode()
    assert "示范市主城区未确认" in notice(page)
    county = as_bureau.get("/admin/assessments/2026/county/379921/").content.decode()
    assert "data-main-urban-unconfirmed" not in county
    sheet = as_bureau.get("/admin/assessments/2026/city/379900/sheet/").content.decode()
    assert "主城区未确认" in sheet
