"""Fixtures for the public pages' tests: the province's bureau and pilots walked to an outcome through the services
(tests/pilots/pilot_factory.py), a bureau of another city."""

from __future__ import annotations

import pytest

from audit.actors import system
from communities.models import ProvincePage, Role
from communities.roles import assign
from pilots.stages import Stage
from tests.factories import CityFactory
from tests.pilots.pilot_factory import Walk, at_stage


@pytest.fixture
def province(demo, make_user):
    """A bureau user of the whole province (省大数据局)."""
    user = make_user("province")
    assign(user, Role.BUREAU, ProvincePage.objects.get(), by=system("tests"))
    return user


@pytest.fixture
def walk(assess, bureau, province, county):
    """示范县 walked by the demo city's bureau and the province."""
    return Walk(bureau, province, assess, county)


@pytest.fixture
def reach(walk):
    """Walk 示范县 to `stage` in a batch of its own (its list published on the way)."""
    return lambda stage: at_stage(walk, Stage(stage))


@pytest.fixture
def other_bureau(demo, make_user):
    """The bureau of another city (测试市)."""
    city = CityFactory(parent=ProvincePage.objects.get())
    return make_user("other-bureau", Role.BUREAU, city)
