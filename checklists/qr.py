"""QR codes for the phone checklist: absolute links from settings.SITE_URL, as PNG or compact SVG, and the
printable sheets (one community, or every community of a street or unit) the districts post at facilities."""

from __future__ import annotations

import io
from dataclasses import dataclass

import qrcode
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from qrcode.constants import ERROR_CORRECT_M

from communities.models import CommunityPage
from standards.models import StandardVersion

BORDER = 4  # the quiet zone the QR specification asks for, in modules


def absolute(path: str) -> str:
    """Return `path` on the configured site address (QR codes leave the building, so never relative)."""
    return settings.SITE_URL.rstrip("/") + path


def community_url(code: str) -> str:
    """Return the absolute link to a community's checklist."""
    return absolute(reverse("mobile:checklist", args=[code]))


def item_url(code: str, number: int) -> str:
    """Return the absolute link to one item of a community's checklist."""
    return absolute(reverse("mobile:item", args=[code, number]))


def _matrix(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=BORDER)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_png(data: str, *, box_size: int = 8) -> bytes:
    """Return a black-on-white PNG QR code for `data`."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=BORDER)
    code.add_data(data)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")
    return out.getvalue()


def qr_svg(data: str, *, size: str = "", title: str = "") -> str:
    """Return an SVG QR code drawn as one stroked path of horizontal runs (a third of the lib's SvgPathImage).

    Sheets inline 26 of these per community, so their size is what a district's print job weighs.
    """
    matrix = _matrix(data)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start} {y}.5h{x - start}")
            else:
                x += 1
    n = len(matrix)
    dims = f' width="{size}" height="{size}"' if size else ""
    label = f"<title>{title}</title>" if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}"{dims} shape-rendering="crispEdges">'
        f'{label}<rect width="{n}" height="{n}" fill="#fff"/><path stroke="#000" d="{"".join(runs)}"/></svg>'
    )


@dataclass(frozen=True)
class SheetEntry:
    number: int | None  # None for the community's own code
    label: str
    category: str
    url: str
    svg: str


@dataclass(frozen=True)
class Sheet:
    community: CommunityPage
    main: SheetEntry
    items: list[SheetEntry]


def _categories(standard: StandardVersion) -> dict[int, str]:
    return {n: c["label"] for c in standard.data.get("categories", []) for n in c.get("items", [])}


def community_sheet(community: CommunityPage, standard: StandardVersion) -> Sheet:
    """Return the QR codes of one community's A4 sheet: its checklist plus each item, labelled in the active
    language (the item names and categories are the standard's own words)."""
    categories = _categories(standard)
    url = community_url(community.code)
    label = _("%(community)s 核查清单") % {"community": community.title}
    main = SheetEntry(None, label, "", url, qr_svg(url, title=community.code))
    items = []
    for item in standard.items:
        n = item["number"]
        link = item_url(community.code, n)
        svg = qr_svg(link, title=_("第%(n)s项") % {"n": n})
        items.append(SheetEntry(n, f"{n}. {item['name']}", categories.get(n, ""), link, svg))
    return Sheet(community, main, items)
