"""The test factories build what the register import and the role service would."""

import pytest
from wagtail.models import Page

from checklists.actions import ChecklistAction
from checklists.models import PASSES, ItemResult, Status
from communities import policy
from communities.models import CityPage, CommunityPage, ProvincePage, Role, StreetKind, UnitKind
from standards.models import StandardVersion
from tests.factories import (
    AdminFactory,
    BureauFactory,
    CommunityFactory,
    EvidenceFactory,
    ItemResultFactory,
    RoundFactory,
    StandardVersionFactory,
    StreetFactory,
    UnitFactory,
    UserFactory,
    VerifierFactory,
    WorkerFactory,
)

pytestmark = pytest.mark.django_db


def test_a_community_comes_with_its_ancestors_linked():
    community = CommunityFactory()
    street, unit, city = community.street, community.unit, community.city
    assert community.get_parent().specific == street and street.get_parent().specific == unit
    assert unit.get_parent().specific == city and isinstance(city.get_parent().specific, ProvincePage)
    assert street.unit == unit and unit.city == city
    assert community.code.startswith(street.code) and street.code.startswith(unit.code)
    assert unit.code[:4] == city.code[:4] and len(community.code) == 12
    assert community.in_scope and unit.assessed_as == "city_main_urban"
    assert Page.find_problems() == ([], [], [], [], [])


def test_siblings_share_their_parents_and_one_province():
    street = StreetFactory(kind=StreetKind.TOWN)
    first, second = CommunityFactory.create_batch(2, parent=street)
    county = UnitFactory(kind=UnitKind.COUNTY, parent=street.unit.city)
    assert first.street == second.street == street and first.code != second.code
    assert not first.in_scope and county.assessed_as == "county"
    assert ProvincePage.objects.count() == 1 and CityPage.objects.count() == 1
    assert CommunityPage.objects.count() == 2


def test_users_hold_their_role_over_their_regions_and_its_group():
    community = CommunityFactory()
    worker = WorkerFactory(regions=[community])
    verifier = VerifierFactory(regions=[community.unit])
    bureau = BureauFactory(regions=[community.city])
    other = UserFactory(regions=[community.unit], regions__role=Role.VERIFIER)
    admin = AdminFactory()
    groups = {worker: "社区工作人员", verifier: "区县审核人员", bureau: "大数据局", other: "区县审核人员"}
    for user, group in groups.items():
        assert user.groups.filter(name=group).exists()
    A = ChecklistAction
    assert policy.may(worker, A.SAVE, community) and not policy.may(verifier, A.SAVE, community)
    assert policy.may(verifier, A.APPROVE, community) and policy.may(bureau, A.REVIEW, community)
    assert policy.may(admin, A.APPROVE, community) and not UserFactory().groups.exists()
    assert worker.check_password("pw-12345678")


def test_rounds_are_pinned_to_the_bundled_standard_loaded_once():
    round_ = RoundFactory()
    assert (round_.code, round_.name, round_.standard.code) == ("2026", "2026年度", "SD-ZHSQ-2019")
    assert StandardVersionFactory() == round_.standard and StandardVersion.objects.count() == 1
    assert RoundFactory(code="2027").standard == round_.standard


def test_results_and_evidence():
    result = ItemResultFactory(status=Status.APPROVED, rules_pass=True, item_number=7)
    photo = EvidenceFactory(result=result)
    assert ItemResult.objects.filter(PASSES).get() == result and result.round.code == "2026"
    assert list(result.photos.all()) == [photo] and len(photo.sha256) == 64
