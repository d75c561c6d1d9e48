"""Who may confirm a city's main urban area, beside the policy table (test_policy_table.py) and in its style: one
table, role × city, checked through the policy, through the service, over HTTP, and in the menu and the coverage
page's link. `own` is 测试市 (379800) of the policy world, `other` 另一市 (379700). Its users, plus a bureau of
379800's county (379802) and a bureau of 另一市: the county's bureau and another city's may not decide."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.actors import system
from communities import policy
from communities.actions import CommunityAction
from communities.main_urban import main_urban_confirm
from communities.models import CityPage, DivisionKind, Role, UnitKind, UnitPage
from communities.roles import assign
from tests.communities import policy_world
from tests.communities.test_policy_table import menu_labels

pytestmark = pytest.mark.django_db

TABLE = """
role               own  other
worker             no   no
verifier           no   no
city_verifier      no   no
bureau             yes  no
county_bureau      no   no
other_city_bureau  no   yes
province_bureau    no   no
admin              yes  yes
anonymous          no   no
"""
CITIES = {"own": "379800", "other": "379700"}
DISTRICTS = {"own": "379801", "other": "379701"}  # each city's 市辖区, waiting for its city
EXTRA = {"county_bureau": (UnitPage, "379802"), "other_city_bureau": (CityPage, "379700")}


@dataclass(frozen=True)
class Row:
    role: str
    city: str
    expected: bool

    def __str__(self) -> str:
        return f"{self.role}-{self.city}"


def parse(table: str) -> list[Row]:
    header, *lines = [line.split() for line in table.strip().splitlines()]
    return [Row(role, city, cell == "yes") for role, *cells in lines for city, cell in zip(header[1:], cells,
                                                                                          strict=True)]


ROWS = parse(TABLE)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The policy world, its districts waiting for their cities, and the two extra bureaus."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = policy_world.build_world()
        UnitPage.objects.filter(code__in=DISTRICTS.values()).update(division_kind=DivisionKind.DISTRICT,
                                                                    kind_confirmed=False)
        for role, (model, code) in EXTRA.items():
            user = get_user_model().objects.create_user(username=f"t-{role}", password=policy_world.PASSWORD)
            assign(user, Role.BUREAU, model.objects.get(code=code), by=system("tests"))
            built.user_ids[role] = user.pk
        yield built
        transaction.set_rollback(True)


def user_of(world, role: str):
    return AnonymousUser() if role == "anonymous" else world.user(role)


def city(where: str) -> CityPage:
    return CityPage.objects.get(code=CITIES[where])


def state(where: str) -> tuple:
    return tuple(UnitPage.objects.filter(code=DISTRICTS[where]).values_list("kind", "kind_confirmed").get())


def test_the_table_covers_every_role():
    assert {r.role for r in ROWS} == {*policy_world.ROLES, *EXTRA}


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_the_policy_answers_as_the_table_says(world, row):
    assert policy.may(user_of(world, row.role), CommunityAction.CONFIRM_MAIN_URBAN, city(row.city)) is row.expected


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_the_service_answers_as_the_table_says(world, row):
    before = state(row.city)
    kinds = {DISTRICTS[row.city]: UnitKind.INDEPENDENT_DISTRICT}
    try:
        main_urban_confirm(city=city(row.city), kinds=kinds, actor=user_of(world, row.role))
    except PermissionDenied as refusal:
        assert not row.expected and "只有本市大数据局或管理员可以确认主城区" in str(refusal)
        assert state(row.city) == before
    else:
        assert row.expected and state(row.city) == (UnitKind.INDEPENDENT_DISTRICT, True) != before


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_http_answers_as_the_table_says(world, client, row):
    if row.role != "anonymous":
        client.force_login(world.user(row.role))
    url = f"/admin/main-urban/{CITIES[row.city]}/"
    shown = client.get(url)
    form = shown.content.decode() if shown.status_code == 200 else ""
    token = form.split('name="state" value="')[1].split('"')[0] if row.expected else "x"
    before = state(row.city)
    response = client.post(url, {f"kind_{DISTRICTS[row.city]}": UnitKind.INDEPENDENT_DISTRICT, "state": token})
    if row.expected:
        assert shown.status_code == 200 and 'data-main-urban-form' in form
        assert response.status_code == 302 and response["Location"] == url
        assert state(row.city) == (UnitKind.INDEPENDENT_DISTRICT, True)
        return
    login = row.role in ("anonymous", "worker")  # neither may open the admin at all
    for refused in (shown, response):
        assert refused.status_code == 302
        assert refused["Location"].startswith("/admin/login/") if login else refused["Location"] == "/admin/"
    assert state(row.city) == before


STAFF = [r for r in dict.fromkeys(r.role for r in ROWS) if r not in ("worker", "anonymous")]


@pytest.mark.parametrize("role", STAFF)
def test_the_menu_and_the_coverage_link_follow_the_table(world, client, role):
    client.force_login(world.user(role))
    expected = {r.city: r.expected for r in ROWS if r.role == role}
    assert ("主城区确认" in menu_labels(client.get("/admin/").content.decode())) is any(expected.values())
    coverage = client.get("/admin/coverage/", {"round": world.round.code}).content.decode()
    for where, code in CITIES.items():
        link = f'href="/admin/main-urban/{code}/?next='
        assert (link in coverage) is expected[where], where


def test_each_surface_asks_the_policy_for_this_very_action(world, client, monkeypatch):
    """With the action's rule refusing everyone, the city's bureau is turned away by the service, the screen and
    the menu: they ask for CONFIRM_MAIN_URBAN itself, not a look-alike with the same roles today."""
    monkeypatch.setitem(policy.RULES, CommunityAction.CONFIRM_MAIN_URBAN,
                        policy.Rule((), admins=False, refusal="测试：此操作暂不开放"))
    bureau = world.user("bureau")
    with pytest.raises(PermissionDenied, match="测试：此操作暂不开放"):
        main_urban_confirm(city=city("own"), kinds={DISTRICTS["own"]: UnitKind.MAIN_URBAN_DISTRICT}, actor=bureau)
    client.force_login(bureau)
    assert client.get("/admin/main-urban/379800/")["Location"] == "/admin/"
    assert "主城区确认" not in menu_labels(client.get("/admin/").content.decode())
    assert 'href="/admin/main-urban/' not in client.get("/admin/coverage/").content.decode()
