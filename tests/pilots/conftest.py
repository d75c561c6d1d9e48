"""Fixtures for the pilot tests: a province bureau and an expert (the rest is shared: tests/conftest.py)."""

import pytest

from audit.actors import system
from communities.models import ProvincePage, Role
from communities.roles import assign
from tests.pilots.pilot_factory import pool_expert


@pytest.fixture
def province(demo, make_user):
    """A bureau user of the whole province (省大数据局)."""
    user = make_user("province")
    assign(user, Role.BUREAU, ProvincePage.objects.get(), by=system("tests"))
    return user


@pytest.fixture
def expert(demo, make_user):
    """A member of the expert pool with no role at all: an expert once an application is assigned to them."""
    user = make_user("expert")
    pool_expert(user, name="王专家", organisation="山东大学")
    return user
