"""A small province for the permission table: two cities, three units, four communities and one user per role.

Built once per test module (`world` fixture) inside a transaction that is rolled back at the end; each test runs
in its own savepoint, so whatever a row writes is gone before the next row. The data goes in through the real
services, as an operator (assign, import) and an administrator (answers, photos, decisions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction

from audit.actors import system
from checklists import decisions, services
from checklists.evidence import evidence_add
from checklists.models import Evidence, ItemResult
from communities.models import ADMIN_GROUP, CityPage, CommunityPage, ProvincePage, Role, UnitPage
from communities.roles import assign
from standards.models import Round, RoundStatus, StandardVersion
from standards.rounds import round_open, round_set_status
from standards.versions import load_file
from tests.checklists.photo_factory import make_jpeg
from tests.coverage.coverage_factory import build_region, passing_values

# Where an object sits, seen from every user below (each one's own region contains OWN).
OWN, SAME_UNIT, SAME_CITY, OTHER_CITY, PROVINCE = "own", "same_unit", "same_city", "other_city", "province"
COMMUNITY_SCOPES = (OWN, SAME_UNIT, SAME_CITY, OTHER_CITY)
COMMUNITY_CODES = {
    OWN: "379801001001",  # 测试市 · 主城区 379801
    SAME_UNIT: "379801001002",  # the same unit, another community
    SAME_CITY: "379802001001",  # 测试市 · 县 379802
    OTHER_CITY: "379701001001",  # 另一市
}
PASSWORD = "pw-12345678"

# Which item plays which part in every community.
DRAFT_ITEM = 1  # a draft: save
COMPLETE_ITEM = 2  # a complete draft with a photo: submit, view evidence
SUBMITTED_ITEM = 3  # waiting for review: approve, return
APPROVED_ITEM = 4  # approved: reopen
SENSITIVE_ITEM = 24  # 特殊人群: its photo is sensitive evidence

# role -> (Role, region) of each user; "admin" is in the 管理员 group, not a superuser, so it gets nothing
# from Django's superuser shortcut and everything through the policy and the group's grants.
USERS = {
    "worker": (Role.WORKER, "community:" + COMMUNITY_CODES[OWN]),
    "verifier": (Role.VERIFIER, "unit:379801"),
    "city_verifier": (Role.VERIFIER, "city:379800"),
    "bureau": (Role.BUREAU, "city:379800"),
    "province_bureau": (Role.BUREAU, "province"),
    "admin": (None, None),
}
ROLES = (*USERS, "anonymous")


@dataclass
class World:
    round: Round
    closed_round: Round
    standard: StandardVersion
    communities: dict[str, CommunityPage]
    user_ids: dict[str, int]
    results: dict[tuple[str, int], int] = field(default_factory=dict)  # (scope, item) -> ItemResult pk
    photos: dict[tuple[str, int], int] = field(default_factory=dict)  # (scope, item) -> Evidence pk

    def user(self, role: str):
        """Return a fresh copy of the user (no scope cached on it from an earlier row)."""
        if role == "anonymous":
            return AnonymousUser()
        return get_user_model().objects.get(pk=self.user_ids[role])

    def result(self, scope: str, item: int) -> ItemResult:
        return ItemResult.objects.select_related("round__standard", "community").get(pk=self.results[scope, item])

    def photo(self, scope: str, item: int) -> Evidence:
        return Evidence.objects.select_related("result__community").get(pk=self.photos[scope, item])

    def code(self, scope: str) -> str:
        return COMMUNITY_CODES[scope]


def _region(spec: str):
    if spec == "province":
        return ProvincePage.objects.get()
    kind, code = spec.split(":")
    return {"community": CommunityPage, "unit": UnitPage, "city": CityPage}[kind].objects.get(code=code)


def _users() -> dict[str, int]:
    ids = {}
    for role, (kind, region) in USERS.items():
        user = get_user_model().objects.create_user(username=f"t-{role}", password=PASSWORD)
        if kind is None:
            user.groups.add(Group.objects.get(name=ADMIN_GROUP))
        else:
            assign(user, kind, _region(region), by=system("tests"))
        ids[role] = user.pk
    return ids


def _answer(world: World, admin, scope: str, item: int, *, photo_seed: int | None = None) -> ItemResult:
    community = world.communities[scope]
    values = passing_values(world.standard.item(item)) if item != DRAFT_ITEM else {}
    result = services.answer_save(round_=world.round, community=community, item_number=item, user=admin,
                                  values=values).result
    if photo_seed is not None:
        photo = evidence_add(result=result, user=admin, data=make_jpeg(96, 72, pattern_seed=photo_seed),
                             filename=f"{item}.jpg")
        world.photos[scope, item] = photo.pk
    world.results[scope, item] = result.pk
    return result


def build_world() -> World:
    """Build the province, the users and, in every community, one item in each state the table needs."""
    standard, _ = load_file(user=system("tests"))
    closed, _ = round_open("2025", name="2025年度", user=system("tests"))
    round_, _ = round_open("2026", name="2026年度", user=system("tests"))
    build_region([("379801", "主城区", "main_urban_district", [("001", "subdistrict", 2)]),
                  ("379802", "某县", "county", [("001", "subdistrict", 1)])])
    build_region([("379701", "另一区", "main_urban_district", [("001", "subdistrict", 1)])], ("379700", "另一市"))
    communities = {scope: CommunityPage.objects.get(code=code) for scope, code in COMMUNITY_CODES.items()}
    world = World(round_, closed, standard, communities, _users())
    admin = world.user("admin")
    for n, scope in enumerate(COMMUNITY_SCOPES):
        _answer(world, admin, scope, DRAFT_ITEM)
        _answer(world, admin, scope, COMPLETE_ITEM, photo_seed=10 * n + 1)
        services.item_submit(result=_answer(world, admin, scope, SUBMITTED_ITEM, photo_seed=10 * n + 2), user=admin)
        approved = _answer(world, admin, scope, APPROVED_ITEM, photo_seed=10 * n + 3)
        decisions.item_approve(result=services.item_submit(result=approved, user=admin), user=admin)
        _answer(world, admin, scope, SENSITIVE_ITEM, photo_seed=10 * n + 4)
    round_set_status(round_=closed, user=admin, status=RoundStatus.CLOSED, reason="上一年度")
    world.round.refresh_from_db()
    world.closed_round.refresh_from_db()
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The province above, built once for the module and rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
