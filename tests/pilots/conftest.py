"""Fixtures for the pilot tests: the scoring standard, the demo city with a province bureau and an expert."""

import pytest
from django.contrib.auth import get_user_model

from assessments.regions import region_by
from communities.models import ProvincePage, Role
from communities.roles import assign
from standards import scoring
from standards.versions import parse, standard_save


@pytest.fixture
def scoring_standard(db):
    version, _ = standard_save(parse(scoring.BUNDLED.read_text(encoding="utf-8")))
    return version


@pytest.fixture
def assess(round_, demo, scoring_standard):
    return round_


@pytest.fixture
def bureau(demo):
    """The demo city's bureau (示范市 379900 and its counties)."""
    return get_user_model().objects.get(username="bureau")


@pytest.fixture
def province(demo, make_user):
    """A bureau user of the whole province (省大数据局)."""
    user = make_user("province")
    assign(user, Role.BUREAU, ProvincePage.objects.get())
    return user


@pytest.fixture
def expert(demo, make_user):
    """A user with no role at all: an expert once an application is assigned to them."""
    return make_user("expert")


@pytest.fixture
def city(demo):
    return region_by("city", "379900")


@pytest.fixture
def county(demo):
    return region_by("county", "379921")
