import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from audit.actors import system
from checklists.actions import ChecklistAction
from communities import policy
from communities.models import Assignment, CityPage, CommunityPage, Role, UnitKind, UnitPage
from communities.roles import assign
from communities.selectors import roles_of
from tests.factories import CommunityFactory, StreetFactory, UnitFactory, UserFactory, VerifierFactory


def communities(user, action=ChecklistAction.VIEW_AUDIT):
    return policy.in_scope(user, action, CommunityPage.objects.all())


@pytest.mark.django_db
def test_role_groups_exist_with_admin_access_for_staff_roles():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"社区工作人员", "区县审核人员", "大数据局", "管理员"} <= names
    verifier = Group.objects.get(name="区县审核人员")
    assert verifier.permissions.filter(codename="access_admin").exists()
    assert not Group.objects.get(name="社区工作人员").permissions.filter(codename="access_admin").exists()


def test_demo_users_see_only_their_regions(demo):
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    worker, verifier, bureau, admin = (users[n] for n in ("worker", "verifier", "bureau", "admin"))
    assert set(communities(worker).values_list("code", flat=True)) == {"379902001001", "379902001002"}
    assert set(communities(verifier).values_list("unit__code", flat=True)) == {"379902", "379903"}
    assert communities(bureau).count() == CommunityPage.objects.filter(city__code="379900").count() >= 30
    assert communities(admin).count() == CommunityPage.objects.count()
    units = policy.in_scope(verifier, ChecklistAction.REVIEW, UnitPage.objects.all())
    assert set(units.values_list("code", flat=True)) == {"379902", "379903"}
    county = CommunityPage.objects.get(code="379921001001")
    assert not policy.may(verifier, ChecklistAction.REVIEW, county)
    assert not policy.may(worker, ChecklistAction.VIEW_CHECKLIST, CommunityPage.objects.get(code="379902001003"))
    assert policy.may(bureau, ChecklistAction.REVIEW, county)
    assert roles_of(worker) == {Role.WORKER}


@pytest.mark.django_db
def test_role_scope_is_per_role():
    unit = UnitFactory(kind=UnitKind.COUNTY)
    CommunityFactory.create_batch(2, parent=StreetFactory(parent=unit))
    CommunityFactory()  # elsewhere
    user = VerifierFactory(regions=[unit])
    assert communities(user, ChecklistAction.SAVE).count() == 0
    assert communities(user, ChecklistAction.APPROVE).count() == CommunityPage.objects.filter(unit=unit).count() == 2


@pytest.mark.django_db
def test_assignment_level_is_checked():
    community = CommunityFactory()
    user = UserFactory()
    with pytest.raises(ValidationError, match="社区工作人员只能分配到"):
        assign(user, Role.WORKER, community.unit, by=system("tests"))
    with pytest.raises(ValidationError, match="区县审核人员只能分配到"):
        assign(user, Role.VERIFIER, CommunityPage.objects.first(), by=system("tests"))
    assert not Assignment.objects.filter(user=user).exists()
    assign(user, Role.BUREAU, CityPage.objects.get(code=community.city.code), by=system("tests"))
    assert user.groups.filter(name="大数据局").exists()


@pytest.mark.django_db
def test_anonymous_sees_nothing():
    from django.contrib.auth.models import AnonymousUser

    CommunityFactory()
    assert communities(AnonymousUser()).count() == 0
    assert not policy.may(AnonymousUser(), ChecklistAction.VIEW_CHECKLIST)


def test_seed_demo_builds_the_demo_city(demo):
    kinds = set(UnitPage.objects.values_list("kind", flat=True))
    assert kinds == {"main_urban_district", "county", "county_city", "independent_district"}
    assert CommunityPage.objects.count() >= 30
    assert CommunityPage.objects.filter(street__kind__in=["town", "township"]).exists()


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not CommunityPage.objects.exists()


@pytest.mark.django_db
def test_seed_demo_prints_passwords_and_is_repeatable(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "worker" in out and "verifier-demo-2026" in out
    assert CommunityPage.objects.count() == 33
