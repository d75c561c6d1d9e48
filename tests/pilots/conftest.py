"""Fixtures for the pilot tests: a province bureau and an expert (the rest is shared: tests/conftest.py)."""

import pytest

from audit.actors import system
from communities.models import ProvincePage, Role
from communities.roles import assign


@pytest.fixture
def province(demo, make_user):
    """A bureau user of the whole province (省大数据局)."""
    user = make_user("province")
    assign(user, Role.BUREAU, ProvincePage.objects.get(), by=system("tests"))
    return user


@pytest.fixture
def expert(demo, make_user):
    """A user with no role at all: an expert once an application is assigned to them."""
    return make_user("expert")
