"""Who may do what in the pilot programme, straight from the policy: role × scope × action.

Objects: city A's application and its two pilots (the city itself, its county A1), city B's application and
pilot. Users: the bureaus of city A, county A1 and city B, the province's bureau, an administrator, an expert
assigned to A's application and one assigned to nothing, a worker and a verifier of city A. Columns: appA pA pA1
appB pB.
"""

from __future__ import annotations

import datetime

import pytest

from communities import policy
from communities.models import UnitKind
from communities.policy import ANYWHERE, EVERYWHERE
from pilots.actions import PilotAction
from pilots.experts import expert_assign
from pilots.models import Application, Batch, Pilot
from tests.factories import (
    AdminFactory,
    BureauFactory,
    CityFactory,
    CommunityFactory,
    ProvinceFactory,
    UnitFactory,
    UserFactory,
    VerifierFactory,
    WorkerFactory,
)

pytestmark = pytest.mark.django_db

TABLE = """
action            user             appA pA   pA1  appB pB
view_pilots       bureau_a         yes  yes  yes  no   no
view_pilots       bureau_a1        no   no   yes  no   no
view_pilots       bureau_b         no   no   no   yes  yes
view_pilots       province         yes  yes  yes  yes  yes
view_pilots       admin            yes  yes  yes  yes  yes
view_pilots       expert_a         yes  yes  yes  no   no
view_pilots       expert_none      no   no   no   no   no
view_pilots       worker           no   no   no   no   no
view_pilots       verifier         no   no   no   no   no
edit_application  bureau_a         yes  yes  yes  no   no
edit_application  bureau_a1        no   no   yes  no   no
edit_application  bureau_b         no   no   no   yes  yes
edit_application  province         no   no   no   no   no
edit_application  admin            yes  yes  yes  yes  yes
edit_application  expert_a         no   no   no   no   no
edit_application  worker           no   no   no   no   no
manage_pilots     bureau_a         no   no   no   no   no
manage_pilots     province         yes  yes  yes  yes  yes
manage_pilots     admin            yes  yes  yes  yes  yes
manage_pilots     expert_a         no   no   no   no   no
manage_pilots     verifier         no   no   no   no   no
score_pilot       bureau_a         no   no   no   no   no
score_pilot       bureau_b         no   no   no   no   no
score_pilot       province         yes  yes  yes  yes  yes
score_pilot       admin            yes  yes  yes  yes  yes
score_pilot       expert_a         yes  yes  yes  no   no
score_pilot       expert_none      no   no   no   no   no
"""
COLUMNS = ("appA", "pA", "pA1", "appB", "pB")


def rows():
    for line in TABLE.strip().splitlines()[1:]:
        action, user, *cells = line.split()
        yield pytest.param(action, user, dict(zip(COLUMNS, (c == "yes" for c in cells), strict=True)),
                           id=f"{action}-{user}")


@pytest.fixture
def world():
    province = ProvinceFactory()
    city_a, city_b = CityFactory(parent=province), CityFactory(parent=province)
    county_a1 = UnitFactory(parent=city_a, kind=UnitKind.COUNTY)
    community = CommunityFactory(parent__parent=UnitFactory(parent=city_a))
    today = datetime.date.today()
    batch = Batch.objects.create(year=today.year, name="本年度", apply_by=today, list_by=today)
    app_a = Application.objects.create(batch=batch, city=city_a)
    app_b = Application.objects.create(batch=batch, city=city_b)
    admin = AdminFactory()
    users = {
        "bureau_a": BureauFactory(regions=[city_a]), "bureau_a1": BureauFactory(regions=[county_a1]),
        "bureau_b": BureauFactory(regions=[city_b]), "province": BureauFactory(regions=[province]),
        "admin": admin, "expert_a": UserFactory(), "expert_none": UserFactory(),
        "worker": WorkerFactory(regions=[community]), "verifier": VerifierFactory(regions=[community.unit]),
    }
    expert_assign(by=admin, application=app_a, expert=users["expert_a"])
    # Unsaved pilots suffice: the policy reads only their region and application.
    objects = {"appA": app_a, "pA": Pilot(application=app_a, region=city_a),
               "pA1": Pilot(application=app_a, region=county_a1), "appB": app_b,
               "pB": Pilot(application=app_b, region=city_b)}
    return users, objects


@pytest.mark.parametrize(("action", "user", "expected"), list(rows()))
def test_pilot_policy_table(world, action, user, expected):
    users, objects = world
    got = {column: policy.may(users[user], policy.action_named(action), objects[column]) for column in COLUMNS}
    assert got == expected


def test_an_expert_holds_nothing_but_their_applications(world):
    users, _ = world
    expert = users["expert_a"]
    assert policy.may(expert, PilotAction.VIEW_PILOTS, ANYWHERE)
    assert not policy.may(expert, PilotAction.VIEW_PILOTS, EVERYWHERE)
    others = [a for a in policy.RULES if a not in (PilotAction.VIEW_PILOTS, PilotAction.SCORE_PILOT)]
    assert [a for a in others if policy.may(expert, a, ANYWHERE)] == []
    assert expert.groups.filter(name="评估专家").exists()
    assert not expert.assignments.exists()
