"""角色分配 walked through in the admin as a person does it (GET the form, POST it back): every create, edit and
delete goes through communities.roles, so the user's role group follows their assignments (before, the viewset
wrote the model directly and a new verifier was sent away from 审核队列), and each change is on the log."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import ModelLogEntry

from audit.actors import system
from communities.models import Assignment, CommunityPage, Role, UnitPage
from communities.roles import assign
from tests.communities import policy_world
from tests.communities.admin_forms import fill_and_post
from tests.communities.policy_world import APPROVED_ITEM, OWN, SAME_CITY, SUBMITTED_ITEM

pytestmark = pytest.mark.django_db
world = policy_world.world  # the small province, built once for this module
VERIFIERS = "区县审核人员"


def log_of(action: str):
    """Return the log entries of assignments with this action, newest first."""
    return ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Assignment), action=action)


def queue(client) -> set[int]:
    """Return the item results on the signed-in user's review queue (asserting they may open it)."""
    response = client.get("/admin/review/?status=all")  # every status but drafts
    assert response.status_code == 200, response.get("Location")
    return {r.pk for r in response.context["object_list"]}


@pytest.fixture
def newcomer(world):
    return get_user_model().objects.create_user(username="newcomer", password="pw-12345678")


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.user("admin"))
    return client


def test_a_new_verifier_is_in_the_group_and_can_open_the_queue(admin_client, world, newcomer):
    county = UnitPage.objects.get(code="379802")
    form, response = fill_and_post(admin_client, reverse("assignments:add"),
                                   {"user": newcomer.pk, "role": Role.VERIFIER, "region": county.pk})
    assert "辖区" in form.content.decode()
    assert response.status_code == 302 and response["Location"] == reverse("assignments:index")
    assignment = Assignment.objects.get(user=newcomer)
    assert (assignment.role, assignment.region_id) == (Role.VERIFIER, county.pk)
    assert list(newcomer.groups.values_list("name", flat=True)) == [VERIFIERS]
    [entry] = log_of("communities.role_assigned").filter(object_id=str(assignment.pk))
    assert entry.user.username == "t-admin"
    assert entry.data == {"user": "newcomer", "role": "verifier", "role_label": VERIFIERS, "region": "某县",
                          "region_id": county.pk}
    admin_client.force_login(newcomer)
    # Drafts are not for review: the queue holds the county's submitted and approved items.
    assert queue(admin_client) == {world.results[SAME_CITY, n] for n in (SUBMITTED_ITEM, APPROVED_ITEM)}


def test_editing_moves_the_verifier_to_another_unit_and_logs_both(admin_client, world, newcomer):
    assignment = assign(newcomer, Role.VERIFIER, UnitPage.objects.get(code="379802"), by=system("tests"))
    home = UnitPage.objects.get(code="379801")
    _, response = fill_and_post(admin_client, reverse("assignments:edit", args=[assignment.pk]), {"region": home.pk})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.region_id == home.pk and newcomer.groups.filter(name=VERIFIERS).exists()
    [entry] = log_of("communities.role_changed")
    assert entry.data["before"]["region"] == "某县" and entry.data["after"]["region"] == "主城区"
    assert entry.data["before"]["user"] == entry.data["after"]["user"] == "newcomer"
    admin_client.force_login(newcomer)
    listed = queue(admin_client)
    assert world.results[OWN, SUBMITTED_ITEM] in listed and world.results[SAME_CITY, SUBMITTED_ITEM] not in listed


def test_deleting_the_last_assignment_of_a_role_takes_the_user_out_of_its_group(admin_client, world, newcomer):
    first = assign(newcomer, Role.VERIFIER, UnitPage.objects.get(code="379801"), by=system("tests"))
    second = assign(newcomer, Role.VERIFIER, UnitPage.objects.get(code="379802"), by=system("tests"))
    for assignment, still_verifier in ((first, True), (second, False)):
        _, response = fill_and_post(admin_client, reverse("assignments:delete", args=[assignment.pk]))
        assert response.status_code == 302
        assert not Assignment.objects.filter(pk=assignment.pk).exists()
        assert newcomer.groups.filter(name=VERIFIERS).exists() is still_verifier
    entries = log_of("communities.role_unassigned").order_by("timestamp", "pk")
    assert [e.data["region"] for e in entries] == ["主城区", "某县"]
    assert {e.user.username for e in entries} == {"t-admin"}
    admin_client.force_login(newcomer)
    assert admin_client.get("/admin/review/")["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(("role", "region", "message"), [
    (Role.WORKER, "unit", "社区工作人员只能分配到：社区"),
    (Role.VERIFIER, "community", "区县审核人员只能分配到：区/县/县级市、设区市"),
    (Role.BUREAU, "community", "大数据局只能分配到：设区市、区/县/县级市、省"),
    (Role.BUREAU, "main_urban", "主城区由设区市大数据局负责"),
])
def test_a_wrong_level_is_refused_in_chinese_and_saves_nothing(admin_client, world, newcomer, role, region, message):
    units = {"unit": "379802", "main_urban": "379801"}
    if region in units:
        page = UnitPage.objects.get(code=units[region])
    else:
        page = CommunityPage.objects.get(code=world.code(OWN))
    before = ModelLogEntry.objects.count()
    _, response = fill_and_post(admin_client, reverse("assignments:add"),
                                {"user": newcomer.pk, "role": role, "region": page.pk})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Assignment.objects.filter(user=newcomer).exists() and not newcomer.groups.exists()
    assert ModelLogEntry.objects.count() == before


def test_an_edit_into_an_existing_assignment_is_refused_and_changes_nothing(admin_client, world, newcomer):
    home, county = UnitPage.objects.get(code="379801"), UnitPage.objects.get(code="379802")
    assign(newcomer, Role.VERIFIER, home, by=system("tests"))
    other = assign(newcomer, Role.VERIFIER, county, by=system("tests"))
    _, response = fill_and_post(admin_client, reverse("assignments:edit", args=[other.pk]), {"region": home.pk})
    assert response.status_code == 200 and "已经存在" in response.content.decode()
    other.refresh_from_db()
    assert other.region_id == county.pk and not log_of("communities.role_changed").exists()


@pytest.mark.parametrize("role", ["verifier", "city_verifier", "bureau", "province_bureau"])
def test_only_administrators_may_assign_change_or_remove_roles(client, world, newcomer, role):
    target = assign(newcomer, Role.VERIFIER, UnitPage.objects.get(code="379802"), by=system("tests"))
    home = UnitPage.objects.get(code="379801")
    client.force_login(world.user(role))
    for url, data in ((reverse("assignments:add"), {"user": newcomer.pk, "role": Role.VERIFIER, "region": home.pk}),
                      (reverse("assignments:edit", args=[target.pk]), {"user": newcomer.pk, "role": Role.VERIFIER,
                                                                       "region": home.pk}),
                      (reverse("assignments:delete", args=[target.pk]), {})):
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 302 and response["Location"] == "/admin/", url
    assert list(Assignment.objects.filter(user=newcomer).values_list("region_id", flat=True)) == [target.region_id]
    assert not log_of("communities.role_changed").exists() and not log_of("communities.role_unassigned").exists()


def test_a_worker_is_sent_to_the_login_page(client, world, newcomer):
    client.force_login(world.user("worker"))
    response = client.post(reverse("assignments:add"),
                           {"user": newcomer.pk, "role": Role.WORKER, "region": world.communities[OWN].pk})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not Assignment.objects.filter(user=newcomer).exists()


def test_a_tampered_region_id_is_a_chinese_form_error_not_a_server_error(admin_client, world, newcomer):
    # The chooser's hidden input normally holds a page id; the form is redrawn with whatever came in.
    response = admin_client.post(reverse("assignments:add"), {"user": newcomer.pk, "role": Role.VERIFIER,
                                                              "region": "not-a-page"})
    assert response.status_code == 200 and "请选择辖区" in response.content.decode()
    assert not Assignment.objects.filter(user=newcomer).exists()
