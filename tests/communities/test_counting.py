"""Which communities count: the rule in Python (standing), in SQL (counted_q, live_q, retired_q) and as tallies
by unit, which must agree on every combination of community kind, street kind and retirement."""

from itertools import product

import pytest
from django.utils import timezone

from communities.counting import (
    KIND_NAMES,
    Standing,
    Tally,
    counted_q,
    counts,
    kind_name,
    live_q,
    retired_q,
    standing,
    tallies_by_unit,
)
from communities.models import CityPage, CommunityKind, CommunityPage, StreetKind, StreetPage, UnitKind, UnitPage
from tests.factories import CityFactory, CommunityFactory, StreetFactory, UnitFactory

R, V, RL, VL = (CommunityKind.RESIDENTS, CommunityKind.VILLAGERS, CommunityKind.RESIDENTS_LIKE,
                CommunityKind.VILLAGERS_LIKE)
SUB, TOWN, TOWNSHIP, TLIKE = StreetKind.SUBDISTRICT, StreetKind.TOWN, StreetKind.TOWNSHIP, StreetKind.TOWNSHIP_LIKE


@pytest.mark.parametrize("kind, street_kind, expected", [
    (R, SUB, Standing.COUNTED), (RL, SUB, Standing.COUNTED), (R, TLIKE, Standing.COUNTED),
    (RL, TLIKE, Standing.COUNTED),
    (V, SUB, Standing.VILLAGE), (VL, SUB, Standing.VILLAGE), (V, TLIKE, Standing.VILLAGE), (V, TOWN, Standing.VILLAGE),
    (R, TOWN, Standing.RURAL), (R, TOWNSHIP, Standing.RURAL), (RL, TOWN, Standing.RURAL),
    ("", SUB, Standing.COUNTED),  # an old-format register's community: a 居委会
    (R, None, Standing.RURAL),  # no street at all: nothing to count it under
])
def test_standing_of_each_kind(kind, street_kind, expected):
    assert standing(kind=kind, street_kind=street_kind) is expected
    assert standing(kind=kind, street_kind=street_kind, retired=True) is Standing.RETIRED
    assert counts(kind=kind, street_kind=street_kind) is (expected is Standing.COUNTED)


def test_the_json_names_the_kinds_in_fixed_words():
    assert [kind_name(k) for k in (R, V, RL, VL, "")] == ["居委会", "村委会", "类似居委会", "类似村委会", "居委会"]
    assert set(KIND_NAMES.values()) == {"居委会", "村委会", "类似居委会", "类似村委会"}


def test_a_tally_says_what_is_not_counted():
    assert Tally(counted=5).describe() == ""
    assert Tally(counted=5, villages=3, rural=2).describe() == "村委会3个、乡镇下辖社区2个已登记，不计入"
    assert Tally(villages=1, retired=4).describe() == "村委会1个已登记，不计入；已撤销4个，不再计入"
    assert Tally(retired=2).describe() == "已撤销2个，不再计入"
    assert Tally(1, 2, 3, 4) + Tally(1, 1, 1, 1) == Tally(2, 3, 4, 5)
    assert Tally.of(Tally(1, 2, 3, 4).as_dict()) == Tally(1, 2, 3, 4) and Tally.of(None) == Tally()


class Codes:
    """Explicit division codes (the factories' shared sequence wraps after 99 pages under one parent)."""

    def __init__(self):
        self.cities, self.children = 50, {}

    def city(self):
        self.cities += 1
        return CityFactory(code=f"37{self.cities:02d}00")

    def child(self, factory, parent, width, **fields):
        n = self.children[parent.code] = self.children.get(parent.code, 0) + 1
        code = parent.code[:4] + f"{n:02d}" if width == 2 else f"{parent.code}{n:0{width}d}"
        return factory(parent=parent, code=code, **fields)


def _grid() -> list[tuple]:
    """Build a community for every (kind, street kind), live and retired, and, under a retired street, unit and
    city, one that would count and one that would not; return (community id, kind, street kind, retired?)."""
    now, codes = timezone.now(), Codes()
    live_city = codes.city()
    live_unit = codes.child(UnitFactory, live_city, 2)
    streets = {kind: codes.child(StreetFactory, live_unit, 3, kind=kind) for kind in StreetKind.values}
    built = []
    for kind, street_kind in product(CommunityKind.values, StreetKind.values):
        for retired in (False, True):
            community = codes.child(CommunityFactory, streets[street_kind], 3, kind=kind)
            if retired:
                CommunityPage.objects.filter(pk=community.pk).update(retired_at=now)
            built.append((community.pk, kind, street_kind, retired))
    city = codes.city()
    ancestors = {"street": codes.child(StreetFactory, live_unit, 3), "unit": codes.child(UnitFactory, live_city, 2),
                 "city": codes.child(UnitFactory, city, 2)}
    for level, page in ancestors.items():
        model, retire = {"street": (StreetPage, page), "unit": (UnitPage, page), "city": (CityPage, city)}[level]
        street = page if level == "street" else codes.child(StreetFactory, page, 3)
        for kind in (R, V):
            community = codes.child(CommunityFactory, street, 3, kind=kind)
            built.append((community.pk, kind, SUB, True))
        model.objects.filter(pk=retire.pk).update(retired_at=now)
    return built


@pytest.mark.django_db
def test_python_and_sql_agree_on_every_combination():
    grid = _grid()
    assert len(grid) == 4 * 4 * 2 + 3 * 2
    expected = {pk for pk, kind, street_kind, retired in grid if counts(kind=kind, street_kind=street_kind,
                                                                          retired=retired)}
    mine = {pk for pk, *_ in grid}
    assert set(CommunityPage.objects.filter(counted_q(), pk__in=mine).values_list("pk", flat=True)) == expected
    assert len(expected) == 4  # 居委会 and 类似居委会 under 街道 and 类似乡级单位, nothing retired
    retired = {pk for pk, *_, gone in grid if gone}
    assert set(CommunityPage.objects.filter(retired_q(), pk__in=mine).values_list("pk", flat=True)) == retired
    assert set(CommunityPage.objects.filter(live_q(), pk__in=mine).values_list("pk", flat=True)) == mine - retired
    for page in CommunityPage.objects.filter(pk__in=mine).select_related("street", "unit", "city"):
        assert page.in_scope is (page.pk in expected), page.code


@pytest.mark.django_db
def test_tallies_by_unit_count_each_standing():
    unit = UnitFactory(kind=UnitKind.MAIN_URBAN_DISTRICT)
    street, town = StreetFactory(parent=unit), StreetFactory(parent=unit, kind=TOWN)
    CommunityFactory.create_batch(3, parent=street)
    CommunityFactory.create_batch(2, parent=street, kind=V)
    CommunityFactory(parent=town)
    gone = CommunityFactory(parent=street)
    CommunityPage.objects.filter(pk=gone.pk).update(retired_at=timezone.now())
    assert tallies_by_unit([unit.pk]) == {unit.pk: Tally(counted=3, villages=2, rural=1, retired=1)}
