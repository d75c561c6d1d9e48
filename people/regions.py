"""Finding the region a roster row or a sheet names by its code (short or the division table's 12 digits)."""

from __future__ import annotations

from wagtail.models import Page

from communities.models import CityPage, CommunityPage, ProvincePage, StreetPage, UnitPage

# Which levels a code of each length can name; a 6-digit code is the province, a city or a county-level unit.
MODELS_BY_LENGTH = {12: (CommunityPage,), 9: (StreetPage,), 6: (ProvincePage, CityPage, UnitPage)}


def short_code(code: str) -> str:
    """Return the code as the register keeps it: 370102000000 → 370102, 370102001000 → 370102001."""
    if len(code) == 12 and code.endswith("000000"):
        return code[:6]
    if len(code) == 12 and code.endswith("000"):
        return code[:9]
    return code


def regions_by_code(codes) -> dict[str, Page]:
    """Return the region pages (specific) for the given short codes, by code; codes not found are left out."""
    found: dict[str, Page] = {}
    for length, models in MODELS_BY_LENGTH.items():
        wanted = {code for code in codes if len(code) == length}
        for model in models if wanted else ():
            for page in model.objects.filter(code__in=wanted - set(found)):
                found[page.code] = page
    return found


def region_by_code(code: str) -> Page | None:
    """Return the region page a code (short or 12-digit) names, or None."""
    code = short_code(code.strip())
    return regions_by_code([code]).get(code)


def described(region: Page) -> str:
    """Return how a sheet or report names a region: 名称（代码）."""
    return f"{region.title}（{region.code}）"
