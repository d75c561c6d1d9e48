"""Who may do what in the pilot programme, straight from the policy: role × scope × action.

Objects: city A's application and its two pilots (the city itself, its county A1), city B's application and
pilot. Users: the bureaus of city A, county A1 and city B, the province's bureau, an administrator, pool experts
(one assigned to A's application, one assigned to nothing, one working in city A, one whose organisation is named
after city A, one who is also a verifier in city A, one taken out of the pool after being assigned), a user not
in the pool, a worker and a verifier of city A. Columns: appA pA pA1 appB pB.

SCORE_PILOT is held only through an assignment (never by the province or an administrator); SIT_ON_PANEL (may
this expert judge this application) is the 回避 rule, asked of the expert.
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
from pilots.services.pool import expert_set_active
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
from tests.pilots.pilot_factory import pool_expert

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
view_pilots       expert_left      no   no   no   no   no
score_pilot       bureau_a         no   no   no   no   no
score_pilot       bureau_b         no   no   no   no   no
score_pilot       province         no   no   no   no   no
score_pilot       admin            no   no   no   no   no
score_pilot       expert_a         yes  yes  yes  no   no
score_pilot       expert_none      no   no   no   no   no
score_pilot       expert_left      no   no   no   no   no
sit_on_pilot_panel expert_a        yes  no   no   yes  no
sit_on_pilot_panel expert_none     yes  no   no   yes  no
sit_on_pilot_panel expert_city_a   no   no   no   yes  no
sit_on_pilot_panel expert_org_a1   no   no   no   yes  no
sit_on_pilot_panel expert_role_a   no   no   no   yes  no
sit_on_pilot_panel expert_left     no   no   no   no   no
sit_on_pilot_panel not_in_pool     no   no   no   no   no
sit_on_pilot_panel province        no   no   no   no   no
sit_on_pilot_panel admin           no   no   no   no   no
sit_on_pilot_panel bureau_a        no   no   no   no   no
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
        "admin": admin, "expert_a": UserFactory(), "expert_none": UserFactory(), "expert_city_a": UserFactory(),
        "expert_org_a1": UserFactory(), "expert_role_a": VerifierFactory(regions=[community.unit]),
        "expert_left": UserFactory(), "not_in_pool": UserFactory(),
        "worker": WorkerFactory(regions=[community]), "verifier": VerifierFactory(regions=[community.unit]),
    }
    for name in ("expert_a", "expert_none", "expert_org_a1", "expert_role_a", "expert_left"):
        pool_expert(users[name], organisation="山东大学" if name != "expert_org_a1" else f"{city_a.title}大数据局")
    pool_expert(users["expert_city_a"], city=city_a)
    expert_assign(by=admin, application=app_a, expert=users["expert_a"])
    expert_assign(by=admin, application=app_a, expert=users["expert_left"])
    expert_set_active(by=admin, expert=users["expert_left"].pilot_expert, active=False)
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
    others = [a for a in policy.RULES if a not in (PilotAction.VIEW_PILOTS, PilotAction.SCORE_PILOT,
                                                   PilotAction.SIT_ON_PANEL)]
    assert [a for a in others if policy.may(expert, a, ANYWHERE)] == []
    assert expert.groups.filter(name="评估专家").exists()
    assert not expert.assignments.exists()


def test_every_listing_agrees_with_the_policy(world):
    """The app's listings and Wagtail's permission policy for applications list exactly what `may` allows: an
    administrator every application (the scope once turned "everything or assigned" into "assigned": none)."""
    from wagtail.permissions import policy_registry

    from pilots import selectors

    users, objects = world
    wagtail_policy = policy_registry.get_by_type(Application)
    for name, user in users.items():
        allowed = {a.pk for a in (objects["appA"], objects["appB"]) if policy.may(user, PilotAction.VIEW_PILOTS, a)}
        assert set(selectors.visible_applications(user).values_list("pk", flat=True)) == allowed, name
        assert set(wagtail_policy.instances_user_has_permission_for(user, "view").values_list("pk", flat=True)) \
            == allowed, name
    assert len(selectors.visible_applications(users["admin"])) == 2
