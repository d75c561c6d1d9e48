"""主城区确认 (communities.main_urban): which districts the city decides, the one service that confirms or changes
them (policy, validation, stale forms, the trail), the notices' selector, and the page editor that may not
become a second way to change a unit's kind."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from wagtail.models import PageLogEntry

from audit.actors import MissingActor, system
from communities.main_urban import (
    CONFIRMED,
    KIND_SET,
    STALE,
    MainUrbanError,
    city_decides,
    districts_of,
    main_urban_confirm,
    state_of,
    unconfirmed,
)
from communities.models import CityPage, CommunityPage, DivisionKind, ProvincePage, Role, UnitKind, UnitPage
from tests.factories import CityFactory

MAIN, INDEPENDENT = UnitKind.MAIN_URBAN_DISTRICT, UnitKind.INDEPENDENT_DISTRICT
DECIDED = {"379902": MAIN, "379903": MAIN, "379905": INDEPENDENT}  # the demo city's districts as registered


@pytest.fixture
def imported(demo) -> CityPage:
    """示范市 as the division table brings it in: its three 区 are 市辖区 to be confirmed, assumed main urban."""
    UnitPage.objects.filter(code__in=DECIDED).update(division_kind=DivisionKind.DISTRICT, kind_confirmed=False,
                                                     kind=MAIN)
    UnitPage.objects.filter(code="379921").update(division_kind=DivisionKind.COUNTY)
    UnitPage.objects.filter(code="379981").update(division_kind=DivisionKind.COUNTY_CITY)
    return CityPage.objects.get(code="379900")


def kinds_of(*codes: str) -> dict[str, tuple[str, bool]]:
    return {u.code: (u.kind, u.kind_confirmed) for u in UnitPage.objects.filter(code__in=codes)}


@pytest.mark.parametrize("division_kind, kind, decides", [
    (DivisionKind.DISTRICT, MAIN, True), (DivisionKind.COUNTY_LIKE, MAIN, True),
    (DivisionKind.DISTRICT, INDEPENDENT, True), (DivisionKind.COUNTY, UnitKind.COUNTY, False),
    (DivisionKind.COUNTY_CITY, UnitKind.COUNTY_CITY, False),
    ("", MAIN, True), ("", INDEPENDENT, True), ("", UnitKind.COUNTY, False), ("", UnitKind.COUNTY_CITY, False),
])
def test_which_districts_the_city_decides(division_kind, kind, decides):
    assert city_decides(division_kind, kind) is decides


def test_the_districts_and_what_is_assumed(imported):
    districts = {d.code: d for d in districts_of(imported)}
    assert [code for code, d in districts.items() if d.city_decides] == ["379902", "379903", "379905"]
    assert districts["379902"].division_label == "市辖区" and districts["379902"].assumed_main_urban
    waiting = unconfirmed()
    assert [(u.code, [d.code for d in u.assumed_main_urban]) for u in waiting] == [
        ("379900", ["379902", "379903", "379905"])]
    assert unconfirmed(["379800"]) == []


def test_an_old_format_register_is_confirmed_already(demo):
    assert unconfirmed() == []
    districts = {d.code: d for d in districts_of(CityPage.objects.get(code="379900"))}
    assert districts["379905"].city_decides and districts["379905"].confirmed
    assert not districts["379921"].city_decides


def test_the_city_confirms_and_changes_its_districts_on_the_trail(imported, bureau):
    changes = main_urban_confirm(city=imported, actor=bureau, kinds={**DECIDED, "379903": INDEPENDENT})
    assert kinds_of(*DECIDED) == {"379902": (MAIN, True), "379903": (INDEPENDENT, True),
                                  "379905": (INDEPENDENT, True)}
    assert [(c.code, c.from_kind, c.from_confirmed, c.to_kind) for c in changes] == [
        ("379902", MAIN, False, MAIN), ("379903", MAIN, False, INDEPENDENT), ("379905", MAIN, False, INDEPENDENT)]
    decision = PageLogEntry.objects.get(page=imported, action=CONFIRMED)
    assert decision.user == bureau and [c["code"] for c in decision.data["changes"]] == list(DECIDED)
    moved = PageLogEntry.objects.get(page=UnitPage.objects.get(code="379903"), action=KIND_SET)
    assert moved.user == bureau and moved.data["from"] == {"kind": MAIN, "confirmed": False}
    assert moved.data["to"] == {"kind": INDEPENDENT, "confirmed": True} and moved.data["city"] == "379900"
    assert unconfirmed() == []
    # The same decision again changes and logs nothing.
    assert main_urban_confirm(city=imported, actor=bureau, kinds={**DECIDED, "379903": INDEPENDENT}) == []
    assert PageLogEntry.objects.filter(action__in=[CONFIRMED, KIND_SET]).count() == 4


def test_an_operators_command_is_named_on_the_trail(imported):
    main_urban_confirm(city=imported, actor=system("import_divisions"), kinds=DECIDED)
    assert PageLogEntry.objects.get(action=CONFIRMED).data["actor"] == "system:import_divisions"


@pytest.mark.parametrize("who", ["county_bureau", "other_city_bureau", "province_bureau", "city_verifier", "worker"])
def test_only_the_citys_own_bureau_may_decide(imported, make_user, who):
    region = {"county_bureau": (Role.BUREAU, UnitPage.objects.get(code="379921")),
              "other_city_bureau": (Role.BUREAU, CityFactory()),
              "province_bureau": (Role.BUREAU, ProvincePage.objects.get()),
              "city_verifier": (Role.VERIFIER, imported),
              "worker": (Role.WORKER, CommunityPage.objects.get(code="379902001001"))}[who]
    user = make_user(f"t-{who}", *region)
    with pytest.raises(PermissionDenied, match="只有本市大数据局或管理员可以确认主城区"):
        main_urban_confirm(city=imported, actor=user, kinds=DECIDED)
    assert kinds_of(*DECIDED) == {code: (MAIN, False) for code in DECIDED}
    assert not PageLogEntry.objects.filter(action__in=[CONFIRMED, KIND_SET]).exists()


def test_no_actor_is_an_error(imported):
    with pytest.raises(MissingActor):
        main_urban_confirm(city=imported, actor=None, kinds=DECIDED)


@pytest.mark.parametrize("kinds, key, message", [
    ({"379902": MAIN, "379903": MAIN}, "379905", "请为示范海岛区选择“主城区”或“独立性较强的建制区”"),
    ({**DECIDED, "379903": UnitKind.COUNTY}, "379903", "请为示范新区选择"),
    ({**DECIDED, "379921": MAIN}, "379921", "379921 不是本市可确定类型的区（县、县级市的类型由区划决定）"),
    ({**DECIDED, "370102": MAIN}, "370102", "不是本市可确定类型的区"),
])
def test_every_district_needs_one_of_the_two_kinds(imported, bureau, kinds, key, message):
    with pytest.raises(MainUrbanError) as refused:
        main_urban_confirm(city=imported, actor=bureau, kinds=kinds)
    assert message in refused.value.errors[key]
    assert kinds_of(*DECIDED, "379921") == {**{code: (MAIN, False) for code in DECIDED}, "379921": ("county", True)}


def test_a_form_drawn_before_someone_elses_change_is_refused(imported, bureau):
    state = state_of(districts_of(imported))
    main_urban_confirm(city=imported, actor=bureau, kinds=DECIDED, state=state)
    with pytest.raises(MainUrbanError) as refused:
        main_urban_confirm(city=imported, actor=bureau, kinds={**DECIDED, "379902": INDEPENDENT}, state=state)
    assert "已被他人修改" in refused.value.errors[STALE]
    assert kinds_of("379902") == {"379902": (MAIN, True)}


def test_a_retired_city_decides_nothing(imported, bureau):
    CityPage.objects.filter(pk=imported.pk).update(retired_at="2026-01-01T00:00:00Z")
    with pytest.raises(MainUrbanError, match="已撤销"):
        main_urban_confirm(city=imported, actor=bureau, kinds=DECIDED)


def test_retired_districts_are_not_listed_nor_waited_for(imported, bureau):
    UnitPage.objects.filter(code="379905").update(retired_at="2026-01-01T00:00:00Z")
    assert "379905" not in {d.code for d in districts_of(imported)}
    main_urban_confirm(city=imported, actor=bureau, kinds={"379902": MAIN, "379903": MAIN})
    assert unconfirmed() == []


# --- the page editor is not a second way ---------------------------------------------------------------------

@pytest.fixture
def admin(client, demo):
    """The demo's administrator, logged in (after the demo exists: its replay writes the users)."""
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def unit_edit(client, unit: UnitPage, kind: str):
    return client.post(f"/admin/pages/{unit.pk}/edit/", {"title": unit.title, "code": unit.code, "kind": kind,
                                                         "action-publish": "action-publish"})


def test_the_page_editor_cannot_change_a_units_kind(admin, imported):
    unit = UnitPage.objects.get(code="379903")
    form = admin.get(f"/admin/pages/{unit.pk}/edit/").content.decode()
    assert "主城区确认" in form and 'name="kind"' in form and "disabled" in form.split('name="kind"')[1][:200]
    response = unit_edit(admin, unit, INDEPENDENT)
    assert response.status_code == 302
    assert kinds_of("379903") == {"379903": (MAIN, False)}
    assert not PageLogEntry.objects.filter(action__in=[CONFIRMED, KIND_SET]).exists()


def test_a_draft_saved_before_the_citys_decision_does_not_undo_it(admin, imported, bureau):
    unit = UnitPage.objects.get(code="379903")
    admin.post(f"/admin/pages/{unit.pk}/edit/", {"title": "示范新区（草稿）", "code": unit.code, "kind": MAIN})
    main_urban_confirm(city=imported, actor=bureau, kinds={**DECIDED, "379903": INDEPENDENT})
    UnitPage.objects.get(pk=unit.pk).get_latest_revision().publish()
    unit.refresh_from_db()
    assert unit.title == "示范新区（草稿）" and (unit.kind, unit.kind_confirmed) == (INDEPENDENT, True)


def test_a_new_unit_still_gets_its_kind_in_the_editor(admin):
    city = CityPage.objects.get(code="379900")
    response = admin.post(f"/admin/pages/add/communities/unitpage/{city.pk}/", {
        "title": "示范东区", "code": "379906", "kind": INDEPENDENT, "slug": "379906", "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert kinds_of("379906") == {"379906": (INDEPENDENT, True)}
