"""Who may do what, where: one table, checked through the policy, through each action's service and over HTTP.

Columns are where the object sits (policy_world): `own` the community in every user's own region, `unit` another
community of the same unit, `city` another unit of the same city, `other` another city, `province` the objects
that span the province (the round, the standard, snapshots). The users: a worker of `own`; a verifier of its unit
and one of its city; a bureau of its city and one of the province; an administrator (the 管理员 group, not a
superuser); and someone not logged in. `·` marks a scope the action has no object in. For `export` and `api`,
yes means the community is in what the user gets; for `assign_roles`, giving a newcomer a worker role there (over
HTTP: a one-row roster through 人员名册导入); `assignments` is the province-wide 角色分配 table.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from communities import policy
from tests.communities import policy_world
from tests.communities.policy_ways import WAYS, refused_rightly
from tests.communities.policy_world import APPROVED_ITEM, COMPLETE_ITEM, SUBMITTED_ITEM

world = policy_world.world  # the small province, built once for this module
pytestmark = pytest.mark.django_db

TABLE = """
action         role             own  unit city other province
view           worker           yes  no   no   no    ·
view           verifier         yes  yes  no   no    ·
view           city_verifier    yes  yes  yes  no    ·
view           bureau           no   no   no   no    ·
view           province_bureau  no   no   no   no    ·
view           admin            yes  yes  yes  yes   ·
view           anonymous        no   no   no   no    ·

review         worker           no   no   no   no    ·
review         verifier         yes  yes  no   no    ·
review         city_verifier    yes  yes  yes  no    ·
review         bureau           yes  yes  yes  no    ·
review         province_bureau  yes  yes  yes  yes   ·
review         admin            yes  yes  yes  yes   ·
review         anonymous        no   no   no   no    ·

save           worker           yes  no   no   no    ·
save           verifier         no   no   no   no    ·
save           city_verifier    no   no   no   no    ·
save           bureau           no   no   no   no    ·
save           province_bureau  no   no   no   no    ·
save           admin            yes  yes  yes  yes   ·
save           anonymous        no   no   no   no    ·

submit         worker           yes  no   no   no    ·
submit         verifier         no   no   no   no    ·
submit         city_verifier    no   no   no   no    ·
submit         bureau           no   no   no   no    ·
submit         province_bureau  no   no   no   no    ·
submit         admin            yes  yes  yes  yes   ·
submit         anonymous        no   no   no   no    ·

withdraw       worker           yes  no   no   no    ·
withdraw       verifier         no   no   no   no    ·
withdraw       city_verifier    no   no   no   no    ·
withdraw       bureau           no   no   no   no    ·
withdraw       province_bureau  no   no   no   no    ·
withdraw       admin            yes  yes  yes  yes   ·
withdraw       anonymous        no   no   no   no    ·

approve        worker           no   no   no   no    ·
approve        verifier         yes  yes  no   no    ·
approve        city_verifier    yes  yes  yes  no    ·
approve        bureau           no   no   no   no    ·
approve        province_bureau  no   no   no   no    ·
approve        admin            yes  yes  yes  yes   ·
approve        anonymous        no   no   no   no    ·

return         worker           no   no   no   no    ·
return         verifier         yes  yes  no   no    ·
return         city_verifier    yes  yes  yes  no    ·
return         bureau           no   no   no   no    ·
return         province_bureau  no   no   no   no    ·
return         admin            yes  yes  yes  yes   ·
return         anonymous        no   no   no   no    ·

reopen         worker           no   no   no   no    ·
reopen         verifier         yes  yes  no   no    ·
reopen         city_verifier    yes  yes  yes  no    ·
reopen         bureau           no   no   no   no    ·
reopen         province_bureau  no   no   no   no    ·
reopen         admin            yes  yes  yes  yes   ·
reopen         anonymous        no   no   no   no    ·

evidence       worker           yes  no   no   no    ·
evidence       verifier         yes  yes  no   no    ·
evidence       city_verifier    yes  yes  yes  no    ·
evidence       bureau           no   no   no   no    ·
evidence       province_bureau  no   no   no   no    ·
evidence       admin            yes  yes  yes  yes   ·
evidence       anonymous        no   no   no   no    ·

evidence_24    worker           yes  no   no   no    ·
evidence_24    verifier         yes  yes  no   no    ·
evidence_24    city_verifier    yes  yes  yes  no    ·
evidence_24    bureau           no   no   no   no    ·
evidence_24    province_bureau  no   no   no   no    ·
evidence_24    admin            no   no   no   no    ·
evidence_24    anonymous        no   no   no   no    ·

export         worker           no   no   no   no    ·
export         verifier         yes  yes  no   no    ·
export         city_verifier    yes  yes  yes  no    ·
export         bureau           yes  yes  yes  no    ·
export         province_bureau  yes  yes  yes  yes   ·
export         admin            yes  yes  yes  yes   ·
export         anonymous        no   no   no   no    ·

api            worker           no   no   no   no    ·
api            verifier         no   no   no   no    ·
api            city_verifier    no   no   no   no    ·
api            bureau           yes  yes  yes  no    ·
api            province_bureau  yes  yes  yes  yes   ·
api            admin            yes  yes  yes  yes   ·
api            anonymous        no   no   no   no    ·

snapshot       worker           ·    ·    ·    ·     no
snapshot       verifier         ·    ·    ·    ·     no
snapshot       city_verifier    ·    ·    ·    ·     no
snapshot       bureau           ·    ·    ·    ·     yes
snapshot       province_bureau  ·    ·    ·    ·     yes
snapshot       admin            ·    ·    ·    ·     yes
snapshot       anonymous        ·    ·    ·    ·     no

round_create   worker           ·    ·    ·    ·     no
round_create   verifier         ·    ·    ·    ·     no
round_create   city_verifier    ·    ·    ·    ·     no
round_create   bureau           ·    ·    ·    ·     no
round_create   province_bureau  ·    ·    ·    ·     yes
round_create   admin            ·    ·    ·    ·     yes
round_create   anonymous        ·    ·    ·    ·     no

round_edit     worker           ·    ·    ·    ·     no
round_edit     verifier         ·    ·    ·    ·     no
round_edit     city_verifier    ·    ·    ·    ·     no
round_edit     bureau           ·    ·    ·    ·     no
round_edit     province_bureau  ·    ·    ·    ·     yes
round_edit     admin            ·    ·    ·    ·     yes
round_edit     anonymous        ·    ·    ·    ·     no

round_close    worker           ·    ·    ·    ·     no
round_close    verifier         ·    ·    ·    ·     no
round_close    city_verifier    ·    ·    ·    ·     no
round_close    bureau           ·    ·    ·    ·     no
round_close    province_bureau  ·    ·    ·    ·     yes
round_close    admin            ·    ·    ·    ·     yes
round_close    anonymous        ·    ·    ·    ·     no

round_reopen   worker           ·    ·    ·    ·     no
round_reopen   verifier         ·    ·    ·    ·     no
round_reopen   city_verifier    ·    ·    ·    ·     no
round_reopen   bureau           ·    ·    ·    ·     no
round_reopen   province_bureau  ·    ·    ·    ·     yes
round_reopen   admin            ·    ·    ·    ·     yes
round_reopen   anonymous        ·    ·    ·    ·     no

standard_edit  worker           ·    ·    ·    ·     no
standard_edit  verifier         ·    ·    ·    ·     no
standard_edit  city_verifier    ·    ·    ·    ·     no
standard_edit  bureau           ·    ·    ·    ·     no
standard_edit  province_bureau  ·    ·    ·    ·     no
standard_edit  admin            ·    ·    ·    ·     yes
standard_edit  anonymous        ·    ·    ·    ·     no

assign_roles   worker           no   ·    ·    no    ·
assign_roles   verifier         no   ·    ·    no    ·
assign_roles   city_verifier    no   ·    ·    no    ·
assign_roles   bureau           yes  ·    ·    no    ·
assign_roles   province_bureau  yes  ·    ·    yes   ·
assign_roles   admin            yes  ·    ·    yes   ·
assign_roles   anonymous        no   ·    ·    no    ·

assignments    worker           ·    ·    ·    ·     no
assignments    verifier         ·    ·    ·    ·     no
assignments    city_verifier    ·    ·    ·    ·     no
assignments    bureau           ·    ·    ·    ·     no
assignments    province_bureau  ·    ·    ·    ·     no
assignments    admin            ·    ·    ·    ·     yes
assignments    anonymous        ·    ·    ·    ·     no
"""
COLUMNS = {"own": policy_world.OWN, "unit": policy_world.SAME_UNIT, "city": policy_world.SAME_CITY,
           "other": policy_world.OTHER_CITY, "province": policy_world.PROVINCE}


@dataclass(frozen=True)
class Row:
    action: str
    role: str
    scope: str
    expected: bool

    def __str__(self) -> str:
        return f"{self.action}-{self.role}-{self.scope}"


def parse(table: str) -> list[Row]:
    header, *lines = [line.split() for line in table.strip().splitlines() if line.strip()]
    scopes = [COLUMNS[name] for name in header[2:]]
    rows = []
    for action, role, *cells in lines:
        assert action in WAYS and role in policy_world.ROLES and len(cells) == len(scopes), (action, role)
        cells = zip(scopes, cells, strict=True)
        rows += [Row(action, role, scope, cell == "yes") for scope, cell in cells if cell != "·"]
    return rows


ROWS = parse(TABLE)
EXPECTED = {(r.action, r.role, r.scope): r.expected for r in ROWS}
# The service and the phone's button for withdraw are being built with the phone pages: its rows are checked
# against the policy only, until then.
DRIVEN = [r for r in ROWS if r.action != "withdraw"]


def test_the_table_covers_every_action_and_role():
    assert {r.action for r in ROWS} == set(WAYS)
    for action in WAYS:
        assert {r.role for r in ROWS if r.action == action} == set(policy_world.ROLES), action


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_the_policy_answers_as_the_table_says(world, row):
    way = WAYS[row.action]
    assert policy.may(world.user(row.role), way.action, way.where(world, row.scope)) is row.expected


def _chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


@pytest.mark.parametrize("row", DRIVEN, ids=str)
def test_the_service_answers_as_the_table_says(world, row):
    way, user = WAYS[row.action], world.user(row.role)
    if way.state is None:  # a read: reached or not
        assert way.service(world, user, row.scope) is row.expected
        return
    before = way.state(world, row.scope)
    try:
        way.service(world, user, row.scope)
    except PermissionDenied as refusal:
        assert not row.expected, f"refused: {refusal}"
        assert _chinese(str(refusal)), "a refusal says why, in Chinese"
        assert way.state(world, row.scope) == before, "refused, yet something changed"
    else:
        assert row.expected, "allowed, but the table says refused"
        assert way.state(world, row.scope) != before, "allowed, yet nothing changed"


@pytest.mark.parametrize("row", DRIVEN, ids=str)
def test_http_answers_as_the_table_says(world, client, row):
    way = WAYS[row.action]
    if row.role != "anonymous":
        client.force_login(world.user(row.role))
    before = way.state(world, row.scope) if way.state else None
    response = way.request(world, client, row.scope)
    if row.expected:
        assert way.succeeded(response, world, row.scope), f"{response.status_code} {response.get('Location', '')}"
        if way.state:
            assert way.state(world, row.scope) != before, "allowed, yet nothing changed"
        return
    sees_item = EXPECTED.get(("review", row.role, row.scope), False)
    somewhere = any(yes for (action, role, _), yes in EXPECTED.items() if (action, role) == (row.action, row.role))
    assert not way.succeeded(response, world, row.scope)
    assert refused_rightly(way.surface, row.role, response, sees_item=sees_item, somewhere=somewhere), \
        f"{response.status_code} {response.get('Location', '')}"
    if way.state:
        assert way.state(world, row.scope) == before, "refused, yet something changed"


@pytest.mark.parametrize("action", [a for a in WAYS if a != "withdraw"])
def test_each_surface_asks_the_policy_for_its_own_action(world, client, monkeypatch, action):
    """With the action's rule refusing everyone, someone the table lets through is turned away everywhere.

    This proves each service and view asks for that very action (not a look-alike with the same roles today).
    """
    way, row = WAYS[action], next(r for r in ROWS if r.action == action and r.expected)
    monkeypatch.setitem(policy.RULES, way.action, policy.Rule((), admins=False, refusal="测试：此操作暂不开放"))
    user = world.user(row.role)
    before = way.state(world, row.scope) if way.state else None
    if way.state is None:
        assert way.service(world, user, row.scope) is False
    else:
        with pytest.raises(PermissionDenied, match="测试：此操作暂不开放"):
            way.service(world, user, row.scope)
    client.force_login(user)
    response = way.request(world, client, row.scope)
    assert not way.succeeded(response, world, row.scope), f"{response.status_code} {response.get('Location', '')}"
    if way.state:
        assert way.state(world, row.scope) == before


# --- the buttons and menu items a page shows follow the same answers -----------------------------------------

STAFF = ("verifier", "city_verifier", "bureau", "province_bureau", "admin")
MENU = """
menu            verifier  city_verifier  bureau  province_bureau  admin
审核队列         yes       yes            yes     yes              yes
覆盖率统计       yes       yes            yes     yes              yes
核查轮次         yes       yes            yes     yes              yes
标准版本         yes       yes            yes     yes              yes
关闭/开放轮次    no        no             no      yes              yes
角色分配         no        no             no      no               yes
人员名册导入     no        no             yes     yes              yes
导入社区名册     no        no             no      no               yes
"""


def menu_labels(html: str) -> set[str]:
    """Return the labels of the admin's sidebar menu (Wagtail renders it as JSON for its script)."""
    found = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)
    labels = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str) and node.get("url"):
                labels.add(node["label"])
            node = list(node.values())
        if isinstance(node, list):
            for child in node:
                walk(child)

    walk(json.loads(found.group(1)))
    return labels


@pytest.mark.parametrize("role", STAFF)
def test_menu_items_appear_exactly_for_those_allowed(world, client, role):
    header, *lines = [line.split() for line in MENU.strip().splitlines()]
    expected = {label: cells[header.index(role) - 1] == "yes" for label, *cells in lines}
    # The two menu items that stand for an action of the table show exactly where the table says yes.
    assert expected["关闭/开放轮次"] is EXPECTED["round_close", role, policy_world.PROVINCE]
    assert expected["角色分配"] is EXPECTED["assignments", role, policy_world.PROVINCE]
    assert expected["人员名册导入"] is EXPECTED["assign_roles", role, policy_world.OWN]
    client.force_login(world.user(role))
    shown = menu_labels(client.get("/admin/").content.decode())
    assert {label for label, yes in expected.items() if yes} == shown & set(expected)


@pytest.mark.parametrize("role", ["worker", "anonymous"])
def test_workers_and_strangers_get_no_admin_at_all(world, client, role):
    if role != "anonymous":
        client.force_login(world.user(role))
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


REVIEWERS = [r for r in ROWS if r.action == "review" and r.expected]


@pytest.mark.parametrize("row", REVIEWERS, ids=str)
def test_the_review_page_offers_decisions_and_photos_exactly_to_those_allowed(world, client, row):
    client.force_login(world.user(row.role))
    waiting = client.get(reverse("review:inspect", args=[world.results[row.scope, SUBMITTED_ITEM]])).content.decode()
    done = client.get(reverse("review:inspect", args=[world.results[row.scope, APPROVED_ITEM]])).content.decode()
    photo = f"/evidence/{world.photos[row.scope, SUBMITTED_ITEM]}/thumb/"
    offered = {"approve": 'data-action="approve"' in waiting, "return": 'data-action="return"' in waiting,
               "reopen": 'data-action="reopen"' in done, "evidence": photo in waiting}
    assert offered == {action: EXPECTED[action, row.role, row.scope] for action in offered}


CHECKLIST_READERS = [r for r in ROWS if r.action == "view" and r.expected]


@pytest.mark.parametrize("row", CHECKLIST_READERS, ids=str)
def test_the_phone_offers_save_and_submit_exactly_to_those_allowed(world, client, row):
    client.force_login(world.user(row.role))
    html = client.get(f"/c/{world.code(row.scope)}/items/{COMPLETE_ITEM}/").content.decode()
    offered = {"save": 'name="do" value="save"' in html, "submit": 'name="do" value="submit"' in html}
    assert offered == {action: EXPECTED[action, row.role, row.scope] for action in offered}


@pytest.mark.parametrize("role", STAFF)
def test_round_and_coverage_pages_offer_new_edit_and_snapshot_exactly_to_those_allowed(world, client, role):
    client.force_login(world.user(role))
    rounds = client.get(reverse("rounds:index")).content.decode()
    coverage = client.get(reverse("coverage:index"), {"round": world.round.code}).content.decode()
    offered = {"round_create": reverse("rounds:add") in rounds,
               "round_edit": reverse("rounds:edit", args=[world.round.pk]) in rounds,
               "snapshot": reverse("coverage:snapshot_create") in coverage}
    assert offered == {action: EXPECTED[action, role, policy_world.PROVINCE] for action in offered}
