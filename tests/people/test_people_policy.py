"""Who may print activation sheets and add experts through the roster: one table, checked against the policy,
the service, HTTP (the admin screen) and the screen's button, in the style of tests/communities/test_policy_table.

Columns are where the sheet is printed for (a community of the county, the county, a community of the city's main
urban district, a community of another city, the province); roster_experts is asked of the whole province.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities import policy
from communities.roles import PERSON_ROLES, PersonRole
from people.actions import PeopleAction
from people.models import Person
from people.roster import roster_import
from people.sheets import sheet_issue
from tests.factories import VerifierFactory, WorkerFactory
from tests.people.roster_files import roster

pytestmark = pytest.mark.django_db

TABLE = """
action            user             c1   county district far  province
issue_activation  county_bureau    yes  yes    no       no   no
issue_activation  city_bureau      yes  yes    yes      no   no
issue_activation  province_bureau  yes  yes    yes      yes  yes
issue_activation  admin            yes  yes    yes      yes  yes
issue_activation  verifier         no   no     no       no   no
issue_activation  worker           no   no     no       no   no
issue_activation  anonymous        no   no     no       no   no
roster_experts    county_bureau    ·    ·      ·        ·    no
roster_experts    city_bureau      ·    ·      ·        ·    no
roster_experts    province_bureau  ·    ·      ·        ·    yes
roster_experts    admin            ·    ·      ·        ·    yes
roster_experts    verifier         ·    ·      ·        ·    no
roster_experts    worker           ·    ·      ·        ·    no
roster_experts    anonymous        ·    ·      ·        ·    no
"""


def rows():
    header, *lines = [line.split() for line in TABLE.strip().splitlines()]
    for action, user, *cells in lines:
        for column, cell in zip(header[2:], cells, strict=True):
            if cell != "·":
                yield pytest.param(action, user, column, cell == "yes", id=f"{action}-{user}-{column}")


ROWS = list(rows())
EXPERT = "评估专家"


@pytest.fixture
def world(place, county_bureau, city_bureau, province_bureau, admin, monkeypatch):
    granted = []
    monkeypatch.setitem(PERSON_ROLES, EXPERT, PersonRole(
        EXPERT, grant=lambda *, by, user, name, organisation: granted.append(user.pk), end=lambda *, by, user: None))
    report = roster_import(by=admin, filename="全省.csv", content=roster(
        ("甲", "13800000001", "社区工作人员", place.c1.code), ("乙", "13800000002", "区县审核人员", place.county.code),
        ("丙", "13800000003", "社区工作人员", place.district_community.code),
        ("丁", "13800000004", "社区工作人员", place.far_community.code)))
    assert report.ok, report.errors
    users = {"county_bureau": county_bureau, "city_bureau": city_bureau, "province_bureau": province_bureau,
             "admin": admin, "verifier": VerifierFactory(regions=[place.county]),
             "worker": WorkerFactory(regions=[place.c1]), "anonymous": None}
    regions = {"c1": place.c1, "county": place.county, "district": place.district_community,
               "far": place.far_community, "province": place.province}
    return users, regions


def printed() -> int:
    return sum(Person.objects.values_list("activation_generation", flat=True))


def experts() -> int:
    return Person.objects.exclude(person_roles=[]).count()


def service(action, user, region):
    if action == "issue_activation":
        sheet_issue(by=user, region=region)
        return
    report = roster_import(by=user, filename="专家.csv", content=roster(("专家", "13900000008", EXPERT, "")))
    if not report.ok:  # the import names the refused row rather than raising: surface it as the refusal
        raise PermissionDenied(report.errors[0].message)


def request(client, action, region):
    if action == "issue_activation":
        return client.post(reverse("people_sheet"), {"scope": region.code, "format": "html"})
    content = roster(("专家", "13900000009", EXPERT, ""))
    return client.post(reverse("people_roster"), {"file": SimpleUploadedFile("专家.csv", content)})


def state(action) -> int:
    return printed() if action == "issue_activation" else experts()


def succeeded(action, response) -> bool:
    body = response.content.decode() if response.status_code == 200 else ""
    return "/activate/" in body if action == "issue_activation" else "data-roster-summary" in body


def refused_rightly(action, user, response) -> bool:
    status, location = response.status_code, response.get("Location", "")
    if user in ("worker", "anonymous"):
        return status == 302 and location.startswith("/admin/login/")
    if action == "roster_experts" and user.endswith("bureau"):
        return status == 200 and "只有省大数据局或管理员可以导入评估专家" in response.content.decode()
    return status == 302 and location == "/admin/"


def where(action, regions, column):
    return regions[column] if action == "issue_activation" else policy.EVERYWHERE


@pytest.mark.parametrize(("action", "user", "column", "expected"), ROWS)
def test_the_policy_service_and_http_answer_as_the_table_says(world, client, action, user, column, expected):
    users, regions = world
    actor = users[user]
    if actor is None:
        assert not policy.may(AnonymousUser(), policy.action_named(action), where(action, regions, column))
    else:
        assert policy.may(actor, policy.action_named(action), where(action, regions, column)) is expected
        before = state(action)
        with pytest.raises(PermissionDenied) if not expected else _nothing():
            service(action, actor, regions[column])
        assert (state(action) != before) is expected
        client.force_login(actor)
    before = state(action)
    response = request(client, action, regions[column])
    if expected:
        assert succeeded(action, response)
        assert state(action) != before
    else:
        assert not succeeded(action, response) and refused_rightly(action, user, response), response.status_code
        assert state(action) == before


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.parametrize("action", ["issue_activation", "roster_experts"])
def test_each_surface_asks_for_its_own_action(world, client, monkeypatch, action):
    users, regions = world
    closed = policy.Rule((), admins=False, refusal="测试：此操作暂不开放")
    monkeypatch.setitem(policy.RULES, PeopleAction(action), closed)
    admin, before = users["admin"], state(action)
    with pytest.raises(PermissionDenied, match="测试：此操作暂不开放"):
        service(action, admin, regions["c1"])
    client.force_login(admin)
    assert not succeeded(action, request(client, action, regions["c1"]))
    assert state(action) == before


@pytest.mark.parametrize("user", ["county_bureau", "city_bureau", "province_bureau", "admin"])
def test_the_print_form_shows_exactly_for_those_who_may_print(world, client, user):
    users, _ = world
    client.force_login(users[user])
    html = client.get(reverse("people_roster")).content.decode()
    assert ("data-print-sheet" in html) is policy.may(users[user], PeopleAction.ISSUE_ACTIVATION)
