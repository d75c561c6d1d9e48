"""Factories for tests that need a few objects rather than the whole demo city.

Region pages go through Wagtail's `add_child` (wagtail-factories), so they are real pages with the ancestor links
the register import sets (`unit.city`, `street.unit`, `community.street/unit/city`) and codes that follow the
division-code prefixes. Users get their roles through `communities.roles.assign`, which also puts them in the
role's group. The standard is the bundled one, loaded as `load_standard` loads it.

    community = CommunityFactory()                       # with its street, unit, city and the province
    county = UnitFactory(kind=UnitKind.COUNTY, parent=community.city)
    verifier = VerifierFactory(regions=[county])
    ItemResultFactory(round=RoundFactory(), community=community, item_number=3, status=Status.APPROVED)
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from factory.declarations import PostGenerationDeclaration
from factory.django import DjangoModelFactory

from audit.actors import system
from checklists.models import Evidence, ItemResult, Status
from communities.models import (
    CityPage,
    CommunityPage,
    ProvincePage,
    Role,
    StreetKind,
    StreetPage,
    UnitKind,
    UnitPage,
)
from communities.roles import assign
from communities.tree import province_for
from standards.models import Round, StandardVersion
from standards.rounds import round_open
from standards.versions import load_bundled, load_file, parse
from tests.replay import replayed

PASSWORD = "pw-12345678"  # the `make_user` fixture's default too


# --- the region tree -----------------------------------------------------------------------------------


class ProvinceFactory(DjangoModelFactory):
    """山东省 under the tree root, created once (a province page has max_count 1)."""

    class Meta:
        model = ProvincePage

    code = "370000"

    @classmethod
    def _create(cls, model_class, code, **kwargs):
        return province_for(code)


class RegionFactory(wagtail_factories.PageFactory):
    """A region page under `parent`; its slug is its code (unique among its siblings)."""

    class Meta:
        abstract = True

    slug = factory.SelfAttribute("code")


class CityFactory(RegionFactory):
    class Meta:
        model = CityPage

    parent = factory.SubFactory(ProvinceFactory)
    # 3710xx … 3789xx: clear of the demo city (379900) and the coverage tests' 测试市 (379800).
    code = factory.Sequence(lambda n: f"37{10 + n % 80:02d}00")
    title = factory.LazyAttribute(lambda o: f"测试市{o.code}")


class UnitFactory(RegionFactory):
    class Meta:
        model = UnitPage

    parent = factory.SubFactory(CityFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code[:4]}{1 + n % 99:02d}")
    title = factory.LazyAttribute(lambda o: f"测试区{o.code}")
    kind = UnitKind.MAIN_URBAN_DISTRICT
    city = factory.SelfAttribute("parent")


class StreetFactory(RegionFactory):
    class Meta:
        model = StreetPage

    parent = factory.SubFactory(UnitFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}{1 + n % 999:03d}")
    title = factory.LazyAttribute(lambda o: f"街道{o.code}")
    kind = StreetKind.SUBDISTRICT
    unit = factory.SelfAttribute("parent")


class CommunityFactory(RegionFactory):
    class Meta:
        model = CommunityPage

    parent = factory.SubFactory(StreetFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}{1 + n % 999:03d}")
    title = factory.LazyAttribute(lambda o: f"社区{o.code[-6:]}")
    households = 300
    street = factory.SelfAttribute("parent")
    unit = factory.SelfAttribute("parent.unit")
    city = factory.SelfAttribute("parent.unit.city")


# --- people --------------------------------------------------------------------------------------------


class Assigned(PostGenerationDeclaration):
    """Give the user a role over each region passed (`regions=[…]`), through `communities.roles.assign`."""

    def __init__(self, role: str | None = None):
        super().__init__()
        self.role = role

    def call(self, instance, step, context):
        role = context.extra.get("role", self.role)
        for region in context.value or ():
            assign(instance, role, region, by=system("tests"))


class UserFactory(DjangoModelFactory):
    """A user with no role: `UserFactory(regions=[unit], regions__role=Role.VERIFIER)` to give one."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)
    regions = Assigned()


class WorkerFactory(UserFactory):
    """A community worker: `WorkerFactory(regions=[community])`."""

    username = factory.Sequence(lambda n: f"worker{n}")
    regions = Assigned(Role.WORKER)


class VerifierFactory(UserFactory):
    """A district verifier: `VerifierFactory(regions=[unit])`."""

    username = factory.Sequence(lambda n: f"verifier{n}")
    regions = Assigned(Role.VERIFIER)


class BureauFactory(UserFactory):
    """A big-data bureau user: `BureauFactory(regions=[city])` (or the province)."""

    username = factory.Sequence(lambda n: f"bureau{n}")
    regions = Assigned(Role.BUREAU)


class AdminFactory(UserFactory):
    """An administrator, as the demo's `admin` is one: superuser and staff, no assignment."""

    username = factory.Sequence(lambda n: f"admin{n}")
    is_superuser = True
    is_staff = True


# --- the standard and rounds ---------------------------------------------------------------------------


@cache
def _parsed(path: Path) -> dict:
    return parse(path.read_text(encoding="utf-8"))


def bundled_data(path: Path | str) -> dict:
    """A fresh copy of a bundled standard file as `parse` reads it. The YAML is parsed once per process: the
    scoring standard's 88 KB take PyYAML ~0.5–1 s, which every test that stored it used to pay."""
    return copy.deepcopy(_parsed(Path(path)))


def bundled_standard() -> StandardVersion:
    """Load the bundled standard as `load_standard` does; replayed after the first build (tests/replay.py)."""
    version, _ = replayed("standard", lambda: load_file(user=system("tests")),
                          keep=lambda loaded: loaded[1] and loaded[0].version == 1)
    return version


def bundled_standards() -> list[tuple[StandardVersion, bool]]:
    """Load every bundled standard as `load_standard` does (load_bundled); replayed after the first build."""
    return replayed("standards-all", lambda: load_bundled(user=system("tests")),
                    keep=lambda loaded: all(created for _, created in loaded))


class StandardVersionFactory(DjangoModelFactory):
    """The bundled SD-ZHSQ-2019, loaded as `load_standard` does (replayed after the first build)."""

    class Meta:
        model = StandardVersion

    @classmethod
    def _create(cls, model_class, **kwargs):
        if kwargs:
            raise TypeError("the bundled standard takes no overrides; store an edited one with standard_save")
        return bundled_standard()


class RoundFactory(DjangoModelFactory):
    """A round opened by `round_open` on the bundled standard (the `round_` fixture's 2026 by default)."""

    class Meta:
        model = Round

    code = "2026"
    name = factory.LazyAttribute(lambda o: f"{o.code}年度")
    standard = factory.SubFactory(StandardVersionFactory)

    @classmethod
    def _create(cls, model_class, code, name, standard):
        round_, _ = round_open(code, name=name, standard_code=standard.code, user=system("tests"))
        return round_


# --- answers and evidence ------------------------------------------------------------------------------


class ItemResultFactory(DjangoModelFactory):
    """A stored answer, written directly (for tests about what reads results; services have their own tests)."""

    class Meta:
        model = ItemResult

    round = factory.SubFactory(RoundFactory)
    community = factory.SubFactory(CommunityFactory)
    item_number = 1
    values = factory.LazyFunction(lambda: {"filled": 1})
    status = Status.DRAFT
    rules_pass = False


class EvidenceFactory(DjangoModelFactory):
    """A photo's record without its files (tests of the review screens; the photo pipeline has its own)."""

    class Meta:
        model = Evidence

    result = factory.SubFactory(ItemResultFactory)
    original = factory.Sequence(lambda n: f"evidence/test/{n}/original.jpg")
    display = factory.Sequence(lambda n: f"evidence/test/{n}/display.jpg")
    thumbnail = factory.Sequence(lambda n: f"evidence/test/{n}/thumb.jpg")
    sha256 = factory.Sequence(lambda n: f"{n:064d}")
    size = 1000
    format = "JPEG"
    width = 800
    height = 600
