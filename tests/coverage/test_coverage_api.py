"""GET /api/coverage/: bureau staff only, the contract's keys, the user's own city, 404 for unknown rounds."""

import pytest
from django.contrib.auth import get_user_model

from audit.actors import system
from communities.models import CityPage, ProvincePage, Role
from standards.rounds import round_open
from tests.coverage.coverage_factory import (
    CITY_KEYS,
    COMMUNITY_KEYS,
    COUNTY_KEYS,
    MAIN_URBAN_KEYS,
    NEXT_KEYS,
    TOP_KEYS,
    build_region,
    make_smart,
)


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_bureau_gets_the_contract_json(client, round_, demo):
    make_smart(round_, ["379902001001", "379921001001"])
    response = login(client, "bureau").get("/api/coverage/", {"round": "2026"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) == TOP_KEYS
    assert data["round"] == "2026" and set(data["standard"]) == {"code", "version"}
    assert all(set(c) == CITY_KEYS and set(c["next_tier"]) == NEXT_KEYS for c in data["cities"])
    for unit in data["units"]:
        assert set(unit) == (MAIN_URBAN_KEYS if unit["assessed_as"] == "city_main_urban" else COUNTY_KEYS)
    assert all(set(c) == COMMUNITY_KEYS for c in data["communities"])
    assert data["cities"][0]["smart_communities"] == 1
    assert isinstance(data["cities"][0]["coverage_percent"], float)


@pytest.mark.parametrize("username", ["worker", "verifier"])
def test_other_roles_are_refused(client, round_, demo, username):
    response = login(client, username).get("/api/coverage/", {"round": "2026"})
    assert response.status_code == 403 and "大数据局" in response.json()["error"]


def test_anonymous_gets_403_not_a_login_redirect(client, round_, demo):
    assert client.get("/api/coverage/", {"round": "2026"}).status_code == 403


def test_admin_sees_everything(client, round_, demo):
    response = login(client, "admin").get("/api/coverage/")
    assert response.status_code == 200 and len(response.json()["communities"]) == 33


def test_unknown_round_is_404_and_the_default_is_the_newest_open_round(client, round_, demo):
    login(client, "bureau")
    assert client.get("/api/coverage/", {"round": "1999"}).status_code == 404
    round_open("2027", name="2027年度", user=system("tests"))
    assert client.get("/api/coverage/").json()["round"] == "2027"


def test_a_city_bureau_sees_only_its_city_and_a_province_bureau_all(client, round_, demo, make_user):
    build_region([("379801", "甲区", "main_urban_district", [("001", "subdistrict", 2)])])
    login(client, "bureau")
    data = client.get("/api/coverage/").json()
    assert [c["code"] for c in data["cities"]] == ["379900"]
    assert {c["unit_code"] for c in data["communities"]} >= {"379902"} and "379801" not in {
        c["unit_code"] for c in data["communities"]}
    province = make_user("province", Role.BUREAU, ProvincePage.objects.get())
    client.force_login(province)
    codes = [c["code"] for c in client.get("/api/coverage/").json()["cities"]]
    assert codes == sorted(CityPage.objects.values_list("code", flat=True)) == ["379800", "379900"]
