"""Who may publish what, straight from the policy (role × where × action), and the same answers over HTTP.

Where: `A` city A, `A1` its county, `B` city B, `P` the whole province (EVERYWHERE). Users: the bureaus of city A,
county A1 and city B, the province's bureau, an administrator (管理员 group), an expert (no role), a worker and a
verifier of city A, someone not logged in. `·`: the action has no object there (a report is always written under
a region, never over the whole province).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from communities import policy
from communities.models import UnitKind
from communities.policy import EVERYWHERE
from tests.factories import (
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
action              user         A    A1   B    P
publish_notice      bureau_a     no   no   no   no
publish_notice      bureau_a1    no   no   no   no
publish_notice      province     yes  yes  yes  yes
publish_notice      admin        yes  yes  yes  yes
publish_notice      expert       no   no   no   no
publish_notice      verifier     no   no   no   no
publish_notice      anonymous    no   no   no   no
publish_smart_list  bureau_a     no   no   no   no
publish_smart_list  bureau_b     no   no   no   no
publish_smart_list  province     yes  yes  yes  yes
publish_smart_list  admin        yes  yes  yes  yes
publish_smart_list  worker       no   no   no   no
publish_smart_list  anonymous    no   no   no   no
write_highlight     bureau_a     yes  yes  no   ·
write_highlight     bureau_a1    no   yes  no   ·
write_highlight     bureau_b     no   no   yes  ·
write_highlight     province     no   no   no   ·
write_highlight     admin        yes  yes  yes  ·
write_highlight     expert       no   no   no   ·
write_highlight     worker       no   no   no   ·
write_highlight     verifier     no   no   no   ·
write_highlight     anonymous    no   no   no   ·
approve_highlight   bureau_a     no   no   no   no
approve_highlight   bureau_a1    no   no   no   no
approve_highlight   bureau_b     no   no   no   no
approve_highlight   province     yes  yes  yes  yes
approve_highlight   admin        yes  yes  yes  yes
approve_highlight   expert       no   no   no   no
approve_highlight   verifier     no   no   no   no
approve_highlight   anonymous    no   no   no   no
"""
COLUMNS = ("A", "A1", "B", "P")


def rows():
    for line in TABLE.strip().splitlines()[1:]:
        action, user, *cells = line.split()
        expected = {column: cell == "yes" for column, cell in zip(COLUMNS, cells, strict=True) if cell != "·"}
        yield pytest.param(action, user, expected, id=f"{action}-{user}")


@pytest.fixture
def world():
    province = ProvinceFactory()
    city_a, city_b = CityFactory(parent=province), CityFactory(parent=province)
    county_a1 = UnitFactory(parent=city_a, kind=UnitKind.COUNTY)
    community = CommunityFactory(parent__parent=UnitFactory(parent=city_a))
    admin = UserFactory()
    admin.groups.add(Group.objects.get_or_create(name="管理员")[0])
    users = {
        "bureau_a": BureauFactory(regions=[city_a]), "bureau_a1": BureauFactory(regions=[county_a1]),
        "bureau_b": BureauFactory(regions=[city_b]), "province": BureauFactory(regions=[province]),
        "admin": admin, "expert": UserFactory(), "worker": WorkerFactory(regions=[community]),
        "verifier": VerifierFactory(regions=[community.unit]), "anonymous": AnonymousUser(),
    }
    return users, {"A": city_a, "A1": county_a1, "B": city_b, "P": EVERYWHERE}


@pytest.mark.parametrize(("action", "user", "expected"), list(rows()))
def test_publication_policy_table(world, action, user, expected):
    users, where = world
    got = {column: policy.may(users[user], policy.action_named(action), where[column]) for column in expected}
    assert got == expected


def test_the_table_covers_every_action_of_the_app():
    from publications.actions import PublicationAction

    assert {line.split()[0] for line in TABLE.strip().splitlines()[1:]} == {a.value for a in PublicationAction}
