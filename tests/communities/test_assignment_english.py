"""角色分配 in one language (issue 20): an administrator whose session prefers English reads the listing, the form
and its refusals in English; a Chinese reader keeps today's wording; the log keeps the role's Chinese name either
way (a record does not change with the reader's language)."""

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

pytestmark = pytest.mark.django_db
world = policy_world.world  # the small province, built once for this module


@pytest.fixture
def newcomer(world):
    return get_user_model().objects.create_user(username="newcomer", password="pw-12345678")


@pytest.fixture
def admin_client(client, world, newcomer):
    assign(newcomer, Role.VERIFIER, UnitPage.objects.get(code="379802"), by=system("tests"))
    client.force_login(world.user("admin"))
    return client


def test_the_listing_and_the_form_in_english(admin_client, in_english, newcomer):
    in_english(admin_client)
    listing = admin_client.get(reverse("assignments:index")).content.decode()
    for text in ("Role assignments", "Assigned at", "county verifier", "Area"):
        assert text in listing, text
    for text in ("角色分配", "分配时间", "区县审核人员", ">辖区<"):
        assert text not in listing, text
    form = admin_client.get(reverse("assignments:add")).content.decode()
    assert "Community workers are assigned to communities" in form
    assert "辖区" not in form and "社区工作人员分配到社区" not in form


def test_a_refusal_in_english_and_the_log_in_chinese(admin_client, in_english, newcomer):
    in_english(admin_client)
    community = CommunityPage.objects.get(code=policy_world.COMMUNITY_CODES[policy_world.OWN])
    _, response = fill_and_post(admin_client, reverse("assignments:add"),
                                {"user": newcomer.pk, "role": Role.BUREAU, "region": community.pk})
    page = response.content.decode()
    assert response.status_code == 200 and "A Big Data Bureau can only be assigned to: " in page
    assert "只能分配到" not in page
    county = UnitPage.objects.get(code="379801")
    _, response = fill_and_post(admin_client, reverse("assignments:add"),
                                {"user": newcomer.pk, "role": Role.WORKER, "region": county.pk})
    assert "A community worker can only be assigned to: " in response.content.decode()
    _, response = fill_and_post(admin_client, reverse("assignments:add"),
                                {"user": newcomer.pk, "role": Role.VERIFIER, "region": county.pk})
    assert response.status_code == 302
    entry = ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Assignment),
                                         action="communities.role_assigned").latest("pk")
    assert entry.data["role_label"] == "区县审核人员"  # the record, not the reader's language
    history = admin_client.get(reverse("assignments:history", args=[entry.object_id])).content.decode()
    assert "Role assigned" in history and "分配角色" not in history


def test_a_chinese_reader_keeps_the_chinese(admin_client, newcomer):
    listing = admin_client.get(reverse("assignments:index")).content.decode()
    for text in ("角色分配", "分配时间", "区县审核人员", "辖区"):
        assert text in listing, text
    community = CommunityPage.objects.get(code=policy_world.COMMUNITY_CODES[policy_world.OWN])
    _, response = fill_and_post(admin_client, reverse("assignments:add"),
                                {"user": newcomer.pk, "role": Role.BUREAU, "region": community.pk})
    assert "大数据局只能分配到：" in response.content.decode()
