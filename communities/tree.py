"""Create and keep the region tree in step: pages with their ancestor links."""

from django.db import transaction
from wagtail.models import Page

from .models import CommunityPage, ProvincePage, StreetPage, UnitPage

PROVINCE_NAMES = {"37": "山东省"}


def province_for(city_code: str) -> ProvincePage:
    """Return the province page for a city code, creating it under the tree root if missing."""
    code = city_code[:2] + "0000"
    province = ProvincePage.objects.filter(code=code).first()
    if province is None:
        root = Page.get_first_root_node()
        province = root.add_child(instance=ProvincePage(title=PROVINCE_NAMES.get(code[:2], code), code=code))
    return province


@transaction.atomic
def sync_region_links(page: Page) -> None:
    """Copy each page's ancestors onto it (unit.city, street.unit, community.street/unit/city) below `page`."""
    page = page.specific
    pages = [page] + [p.specific for p in page.get_descendants()]
    for node in pages:
        if isinstance(node, UnitPage):
            UnitPage.objects.filter(pk=node.pk).update(city=node.get_parent().specific)
        elif isinstance(node, StreetPage):
            StreetPage.objects.filter(pk=node.pk).update(unit=node.get_parent().specific)
        elif isinstance(node, CommunityPage):
            street = node.get_parent().specific
            unit = street.get_parent().specific
            CommunityPage.objects.filter(pk=node.pk).update(street=street, unit=unit, city=unit.get_parent().specific)

