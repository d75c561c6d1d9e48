"""communities.page_bulk: pages created under existing and planned parents and subtrees moved, in bulk, leave a
tree Wagtail accepts (paths, depth, numchild, url_path) and that Wagtail keeps working on."""

import pytest
from wagtail.models import Page

from communities.models import CommunityPage, StreetKind, StreetPage
from communities.page_bulk import PageTree, decode_step, encode_step
from tests.factories import CommunityFactory, StreetFactory


def assert_valid():
    assert Page.find_problems() == ([], [], [], [], [])
    for page in Page.objects.filter(depth__gt=1):
        assert page.url_path == page.get_parent().url_path + page.slug + "/"


def test_steps_encode_like_treebeard():
    assert [encode_step(n) for n in (1, 10, 36, 37)] == ["0001", "000A", "0010", "0011"]
    assert decode_step(encode_step(123_456)) == 123_456


@pytest.mark.django_db
def test_new_pages_under_existing_and_planned_parents():
    old = CommunityFactory()
    street = old.street
    tree = PageTree()
    added = tree.add(street, CommunityPage, "新社区", "x1", code=street.code + "901", street=street.pk,
                     unit=street.unit_id, city=street.unit.city_id)
    new_street = tree.add(street.unit_id, StreetPage, "新街道", "s9", code=street.unit.code + "099",
                          kind=StreetKind.SUBDISTRICT, unit=street.unit_id)
    tree.add(new_street, CommunityPage, "新街道社区", "x2", code=street.unit.code + "099001", street=new_street,
             unit=street.unit_id, city=street.unit.city_id)
    assert tree.write() == (3, 0)
    assert_valid()
    page = CommunityPage.objects.get(pk=added.pk)
    assert page.get_parent().pk == street.pk and page.path > old.path and page.street_id == street.pk
    assert StreetPage.objects.get(code=street.unit.code + "099").get_children().count() == 1


@pytest.mark.django_db
def test_moving_subtrees_keeps_the_tree_valid_and_wagtail_working():
    a, b = StreetFactory(), StreetFactory()
    first, second = CommunityFactory(parent=a), CommunityFactory(parent=a)
    tree = PageTree()
    tree.move(a.pk, b.unit_id, "moved-street")  # the street and its communities, under another unit
    tree.move(second.pk, b.pk, "moved")  # and one of its communities on to street b
    new = tree.add(b, CommunityPage, "新", "n", code=b.code + "777", street=b.pk, unit=b.unit_id, city=b.unit.city_id)
    assert tree.write() == (1, 2)
    assert_valid()
    a.refresh_from_db()
    assert a.get_parent().pk == b.unit_id and a.url_path.endswith("/moved-street/")
    assert Page.objects.get(pk=first.pk).get_parent().pk == a.pk
    assert {p.pk for p in Page.objects.get(pk=b.pk).get_children()} == {second.pk, new.pk}
    # Wagtail's own operations still work on the result.
    Page.objects.get(pk=first.pk).move(Page.objects.get(pk=b.pk), pos="last-child")
    assert_valid()


@pytest.mark.django_db
def test_a_move_may_not_change_a_page_level():
    street = StreetFactory()
    tree = PageTree()
    tree.move(street.pk, street.unit.city.pk, "x")
    with pytest.raises(ValueError, match="would change depth"):
        tree.write()
