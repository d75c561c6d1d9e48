"""QR codes as PNG/SVG and the printable A4 sheets: one community, or a batch for a street or a unit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from communities import policy
from communities.counting import live_q
from communities.models import CommunityPage, StreetPage, UnitPage
from standards.rounds import open_round
from standards.versions import latest

from .. import qr
from ..actions import ChecklistAction
from ..selectors.mobile import community_by_code
from .access import not_yours

SHEETS_PER_PAGE = 30  # a unit can hold hundreds of communities; each page is one print job of 30 sheets
CACHE_CONTROL = "private, max-age=86400"


def _community(request, code: str):
    community = community_by_code(code)
    if community is None:
        raise Http404(_("没有这个社区代码"))
    if not policy.may(request.user, ChecklistAction.PRINT_QR, community):
        return None, not_yours(request, community)
    return community, None


def _standard():
    round_ = open_round()
    standard = round_.standard if round_ else latest()
    if standard is None:
        raise Http404(_("尚未载入标准"))
    return standard


def _image(data: str, fmt: str) -> HttpResponse:
    if fmt == "png":
        response = HttpResponse(qr.qr_png(data), content_type="image/png")
    else:
        response = HttpResponse(qr.qr_svg(data), content_type="image/svg+xml")
    response["Cache-Control"] = CACHE_CONTROL
    return response


@require_GET
@login_required
def community_qr(request, code: str, fmt: str):
    """Return the QR code of the community's checklist link."""
    community, refusal = _community(request, code)
    return refusal or _image(qr.community_url(community.code), fmt)


@require_GET
@login_required
def item_qr(request, code: str, number: int, fmt: str):
    """Return the QR code of one item's link."""
    community, refusal = _community(request, code)
    if refusal:
        return refusal
    if number not in _standard().item_numbers:
        raise Http404(_("没有这个指标"))
    return _image(qr.item_url(community.code, number), fmt)


@require_GET
@login_required
def community_sheet(request, code: str):
    """Show the printable A4 sheet of one community."""
    community, refusal = _community(request, code)
    if refusal:
        return refusal
    sheet = qr.community_sheet(community, _standard())
    return render(request, "checklists/mobile/qr_sheets.html", {"sheets": [sheet], "title": community.title})


def _batch(request, region, communities):
    standard = _standard()
    page = Paginator(communities.order_by("code"), SHEETS_PER_PAGE).get_page(request.GET.get("page"))
    sheets = [qr.community_sheet(c, standard) for c in page]
    return render(request, "checklists/mobile/qr_sheets.html",
                  {"sheets": sheets, "title": region.title, "region": region, "page": page})


def _region_batch(request, model, code: str, missing: str, link: str):
    region = policy.in_scope(request.user, ChecklistAction.PRINT_QR, model.objects.filter(code=code)).first()
    if region is None:
        raise Http404(missing)
    # Retired communities have left the batches: there is nothing to post where they were.
    return _batch(request, region, CommunityPage.objects.filter(live_q(), **{link: region}))


@require_GET
@login_required
def street_sheets(request, code: str):
    """Show the A4 sheets of every community of a street (街道/镇/乡), for the district to print."""
    return _region_batch(request, StreetPage, code, _("没有这个街道或无权查看"), "street")


@require_GET
@login_required
def unit_sheets(request, code: str):
    """Show the A4 sheets of every community of a unit (区/县/县级市), a page of sheets at a time."""
    return _region_batch(request, UnitPage, code, _("没有这个区县或无权查看"), "unit")
