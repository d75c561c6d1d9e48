"""Shared fixtures: the bundled standard, an open round, the demo city and users with roles."""

import pytest
from django.contrib.auth import get_user_model

from checklists.standard import load_file, round_open
from communities.demo import seed_demo
from communities.models import CommunityPage, UnitPage
from communities.roles import assign


@pytest.fixture
def standard(db):
    version, _ = load_file()
    return version


@pytest.fixture
def round_(standard):
    round_, _ = round_open("2026", name="2026年度")
    return round_


@pytest.fixture
def demo(db, settings):
    """The 示范市 register and the demo accounts (worker, verifier, bureau, admin)."""
    return seed_demo()


@pytest.fixture
def make_user(db):
    """Create a user holding `role` over each of `regions`."""

    def make(username: str, role: str | None = None, *regions, password: str = "pw-12345678"):
        user = get_user_model().objects.create_user(username=username, password=password)
        for region in regions:
            assign(user, role, region)
        return user

    return make


@pytest.fixture
def community(demo) -> CommunityPage:
    return CommunityPage.objects.get(code="379902001001")


@pytest.fixture
def other_unit_community(demo) -> CommunityPage:
    """A community in a unit the demo verifier is not assigned to."""
    return CommunityPage.objects.get(code="379921001001")


@pytest.fixture
def unit(demo) -> UnitPage:
    return UnitPage.objects.get(code="379902")


