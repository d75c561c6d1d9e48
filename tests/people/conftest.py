"""A small province for the roster: a city with a county (two communities on one street) and a main urban
district, and a second city; bureaus at each level; and a helper that writes a roster file."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from wagtail.models import Page

from communities.models import UnitKind
from tests.factories import (
    AdminFactory,
    BureauFactory,
    CityFactory,
    CommunityFactory,
    ProvinceFactory,
    StreetFactory,
    UnitFactory,
)


@dataclass
class Place:
    province: Page
    city: Page
    county: Page  # a county of `city` (a county bureau's scope)
    street: Page  # a street of `county`
    c1: Page  # two communities on `street`
    c2: Page
    district: Page  # a main urban district of `city`
    district_community: Page
    other_city: Page
    far_community: Page  # a community in `other_city`


@pytest.fixture
def place(db) -> Place:
    province = ProvinceFactory()
    city, other_city = CityFactory(parent=province), CityFactory(parent=province)
    county = UnitFactory(parent=city, kind=UnitKind.COUNTY)
    street = StreetFactory(parent=county)
    c1, c2 = CommunityFactory(parent=street), CommunityFactory(parent=street)
    district = UnitFactory(parent=city, kind=UnitKind.MAIN_URBAN_DISTRICT)
    district_community = CommunityFactory(parent=StreetFactory(parent=district))
    far = CommunityFactory(parent=StreetFactory(parent=UnitFactory(parent=other_city)))
    return Place(province, city, county, street, c1, c2, district, district_community, other_city, far)


@pytest.fixture
def county_bureau(place):
    return BureauFactory(regions=[place.county])


@pytest.fixture
def city_bureau(place):
    return BureauFactory(regions=[place.city])


@pytest.fixture
def province_bureau(place):
    return BureauFactory(regions=[place.province])


@pytest.fixture
def admin(db):
    return AdminFactory()
