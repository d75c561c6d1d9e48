"""Other cities' region names stay out of sight in Wagtail's own page screens (communities.region_scope): the page
chooser (browse, search, chosen pages), the confirmation of every bulk action on pages, the explorer and the
admin's page API. Tried as an expert (no region), the demo city's bureau and a county verifier, against another
city's pages; an administrator still sees them all."""

import json

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from communities import region_scope
from communities.models import CityPage, ProvincePage
from pilots.experts import ensure_expert_group
from tests.factories import CityFactory, CommunityFactory, StreetFactory, UnitFactory

FAR_NAMES = ("远方市", "远方区", "远方街道", "远方社区")
BULK = ("delete", "move", "publish", "unpublish")


@pytest.fixture
def far(demo):
    """A community of another city, with its street, unit and city."""
    city = CityFactory(title="远方市")
    return CommunityFactory(title="远方社区", parent=StreetFactory(
        title="远方街道", parent=UnitFactory(title="远方区", parent=city)))


@pytest.fixture
def people(demo, make_user):
    """An expert (admin access through the experts' group, no region), the city bureau, a county verifier."""
    expert = make_user("expert")
    expert.groups.add(ensure_expert_group())
    users = get_user_model().objects
    return {"expert": expert, "bureau": users.get(username="bureau"), "verifier": users.get(username="verifier")}


def text(response) -> str:
    """A response's text as a person would read it (Wagtail's modal answers are JSON with escaped HTML)."""
    body = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.dumps(response.json(), ensure_ascii=False)
    return body


def leaks(response) -> list[str]:
    return [name for name in FAR_NAMES if name in text(response)]


def far_urls(far) -> list[str]:
    city, street = far.city, far.get_parent()
    urls = [f"/admin/choose-page/{page.pk}/" for page in (city, far.unit, street, far)]
    urls += [f"/admin/choose-page/{city.pk}/?page_type=communities.communitypage&p=1",
             f"/admin/choose-page/chosen-multiple/?id={far.pk}",
             f"/admin/choose-page/chosen-multiple/?id={far.pk}&id={ProvincePage.objects.get().pk}"]
    urls += [f"/admin/bulk/wagtailcore/page/{action}/?id={far.pk}" for action in BULK]
    urls += [f"/admin/bulk/wagtailcore/page/{action}/?id=all&childOf={street.pk}" for action in BULK]
    return urls


@pytest.mark.parametrize("who", ["expert", "bureau", "verifier"])
def test_another_citys_pages_are_not_found(client, far, people, who):
    client.force_login(people[who])
    for url in far_urls(far):
        response = client.get(url)
        assert response.status_code == 404, url
        assert not leaks(response), url


@pytest.mark.parametrize("who", ["expert", "bureau", "verifier"])
def test_listings_and_searches_leave_them_out(client, far, people, who):
    client.force_login(people[who])
    province = ProvincePage.objects.get()
    for url in ("/admin/choose-page/", f"/admin/choose-page/{province.pk}/", "/admin/choose-page/search/?q=远方",
                "/admin/choose-page/search/?q=社区&results=1", f"/admin/pages/{province.pk}/",
                "/admin/pages/search/?q=远方", f"/admin/pages/{far.city.pk}/", "/admin/api/main/pages/?search=远方",
                f"/admin/api/main/pages/?child_of={province.pk}", f"/admin/api/main/pages/{far.pk}/"):
        response = client.get(url)
        assert response.status_code in (200, 302, 400, 404), url
        assert not leaks(response), (url, leaks(response))


def test_the_bulk_actions_refuse_to_act_on_them_too(client, far, people):
    client.force_login(people["bureau"])
    response = client.post(f"/admin/bulk/wagtailcore/page/unpublish/?id={far.pk}", {"include_descendants": "on"})
    assert response.status_code == 404 and Page.objects.get(pk=far.pk).live


def test_each_user_still_sees_their_own_regions(client, far, people):
    province, city = ProvincePage.objects.get(), CityPage.objects.get(code="379900")
    client.force_login(people["bureau"])  # 示范市: the city and all under it, and the province above it
    listing = text(client.get(f"/admin/choose-page/{province.pk}/"))
    assert "示范市" in listing and "远方市" not in listing
    assert "示范中心区" in text(client.get(f"/admin/choose-page/{city.pk}/"))
    assert "示范市" in text(client.get("/admin/choose-page/search/?q=示范"))
    client.force_login(people["verifier"])  # the units 379902 and 379903: not their city's other units
    assert client.get(f"/admin/choose-page/{city.pk}/").status_code == 200  # above their units: walkable
    units = text(client.get(f"/admin/choose-page/{city.pk}/"))
    assert "示范中心区" in units and "示范新区" in units and "示范县" not in units
    client.force_login(people["expert"])
    assert "示范市" not in text(client.get(f"/admin/choose-page/{province.pk}/"))


def test_administrators_see_every_city(client, far, demo):
    client.force_login(get_user_model().objects.get(username="admin"))
    assert "远方市" in text(client.get(f"/admin/choose-page/{ProvincePage.objects.get().pk}/"))
    assert "远方社区" in text(client.get(f"/admin/choose-page/{far.get_parent().pk}/"))
    assert "远方市" in text(client.get(f"/admin/bulk/wagtailcore/page/unpublish/?id={far.city.pk}"))


def test_the_scope_is_the_policys(far, people):
    """Visible: the user's regions, everything under them, and the regions above them; nothing for an expert."""
    bureau = region_scope.visibility(people["bureau"])
    city = CityPage.objects.get(code="379900")
    assert bureau.covers(city) and bureau.covers(ProvincePage.objects.get()) and not bureau.covers(far.city)
    assert not region_scope.visibility(people["expert"]).covers(ProvincePage.objects.get())
    assert region_scope.visibility(people["expert"]).covers(Page.get_first_root_node())
    assert not region_scope.visible_pages(people["verifier"], Page.objects.filter(pk=far.pk)).exists()
