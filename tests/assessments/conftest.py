"""Fixtures for the self-assessment tests: the scoring standard loaded as a version, the demo city's regions."""

import pytest
from django.contrib.auth import get_user_model

from assessments.regions import region_by
from standards import scoring
from standards.versions import parse, standard_save


@pytest.fixture
def scoring_standard(db):
    """SD-ZHCS-2019 stored as a StandardVersion (what load_standard will do once it loads every bundled file)."""
    version, _ = standard_save(parse(scoring.BUNDLED.read_text(encoding="utf-8")))
    return version


@pytest.fixture
def assess(round_, demo, scoring_standard):
    """The demo city and the open round, with the scoring standard loaded."""
    return round_


@pytest.fixture
def bureau(demo):
    """The demo bureau (示范市 379900: the city and its counties)."""
    return get_user_model().objects.get(username="bureau")


@pytest.fixture
def admin_user(demo):
    return get_user_model().objects.get(username="admin")


@pytest.fixture
def city(demo):
    return region_by("city", "379900")


@pytest.fixture
def county(demo):
    return region_by("county", "379921")
