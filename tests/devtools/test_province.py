"""generate_province: a valid Wagtail tree built by bulk inserts, deterministic, with engine-consistent results."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from wagtail.models import Page

from checklists.models import Evidence, ItemResult, Status
from checklists.services import answer_save, evaluate
from communities.models import CityPage, CommunityPage, StreetKind, StreetPage, UnitKind, UnitPage
from communities.page_bulk import decode_step, encode_step
from devtools.province import generate_province
from devtools.province_plan import apportion, plan_province

SMALL = {"communities": 90, "cities": 2, "units": 12, "seed": 7}


class Rollback(Exception):
    pass


def fingerprint() -> list[tuple]:
    return list(
        ItemResult.objects.order_by("community__code", "item_number").values_list(
            "community__code", "item_number", "status", "rules_pass", "values"
        )
    )


def test_steps_encode_like_treebeard():
    assert [encode_step(n) for n in (1, 10, 36, 37)] == ["0001", "000A", "0010", "0011"]
    assert decode_step(encode_step(123_456)) == 123_456


def test_apportion_is_exact_and_proportional():
    shares = apportion(10, [1, 1, 2])
    assert sum(shares) == 10 and shares[2] == 5


def test_plan_has_all_four_kinds_and_exact_in_scope_count():
    plan = plan_province(communities=10_000)
    assert len(plan.cities) == 16 and 130 <= len(plan.units()) <= 150
    assert {u.kind for u in plan.units()} == set(UnitKind.values)
    assert plan.in_scope_count() == 10_000
    out_of_scope = [s for u in plan.units() for s in u.streets if s.kind != StreetKind.SUBDISTRICT]
    assert {s.kind for s in out_of_scope} == {StreetKind.TOWN, StreetKind.TOWNSHIP}
    codes = [c.code for _, _, c in plan.communities()]
    assert len(codes) == len(set(codes)) and all(len(code) == 12 for code in codes)


def test_generated_tree_is_valid_and_linked(round_):
    report = generate_province(**SMALL)
    assert Page.find_problems() == ([], [], [], [], [])
    Page.fix_tree()  # a no-op on a correct tree: nothing it would change
    assert Page.find_problems() == ([], [], [], [], [])
    assert report.in_scope == 90 and report.communities > 90 and report.units == 12
    assert set(UnitPage.objects.values_list("kind", flat=True)) == set(UnitKind.values)
    community = CommunityPage.objects.filter(street__kind=StreetKind.SUBDISTRICT).select_related("street").first()
    street = community.get_parent().specific
    assert community.street == street and community.unit == street.get_parent().specific
    assert community.city == community.unit.get_parent().specific
    assert community.url_path == f"{street.url_path}{community.slug}/"
    assert CommunityPage.objects.filter(street__kind=StreetKind.SUBDISTRICT).count() == 90
    # Wagtail keeps working on the bulk-built tree.
    added = street.add_child(instance=CommunityPage(title="新建社区", code=street.code + "999"))
    assert added.path.startswith(street.path) and Page.find_problems() == ([], [], [], [], [])


def test_results_mix_and_engine_agreement(round_):
    report = generate_province(**SMALL)
    assert report.results == report.communities * 25 == ItemResult.objects.count()
    statuses = Counter(ItemResult.objects.values_list("status", flat=True))
    assert set(statuses) == set(Status.values)
    assert 0 < report.smart < report.in_scope
    assert Evidence.objects.count() == report.evidence > 0
    # The stored verdict is the engine's own on the stored values and photo records.
    for result in ItemResult.objects.select_related("round__standard").order_by("?")[:60]:
        assert evaluate(result).passed == result.rules_pass, (result.values, result.evaluation)
    # Sequences moved past the explicit ids: the ORM and the services still insert.
    draft = ItemResult.objects.filter(status=Status.DRAFT).select_related("community").first()
    admin = get_user_model().objects.create_superuser("root", password="pw-12345678")
    outcome = answer_save(round_=round_, community=draft.community, item_number=draft.item_number, user=admin,
                          values={})
    assert outcome.result.revision == draft.revision + 1


def test_same_seed_same_province(round_):
    with pytest.raises(Rollback), transaction.atomic():
        generate_province(**SMALL)
        first = fingerprint()
        raise Rollback
    assert not CityPage.objects.exists()
    generate_province(**SMALL)
    assert fingerprint() == first


def test_command_refuses_to_generate_twice(round_, capsys):
    call_command("generate_province", communities=30, cities=1, units=4)
    assert "统计范围内 30" in capsys.readouterr().out
    assert StreetPage.objects.exists()
    with pytest.raises(CommandError, match="已存在"):
        call_command("generate_province", communities=30, cities=1, units=4)


def test_generates_beside_an_existing_register(demo, round_):
    demo_city = CityPage.objects.get(code="379900")
    generate_province(communities=20, cities=1, units=4)
    assert Page.find_problems() == ([], [], [], [], [])
    province = demo_city.get_parent()
    assert province.get_children().count() == 2 and province.numchild == 2
    assert CityPage.objects.get(code="370100").get_parent().pk == province.pk
