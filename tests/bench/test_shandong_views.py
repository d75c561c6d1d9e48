"""bench/shandong_views.py's code path on a tiny province (the 济宁市 extract), so `make bench-shandong` cannot rot:
the bulk fill, the users it measures as, every view it times through the real URLs, the floors, the table. Not
timed: the figures are the bench's, at Shandong's size."""

import io

import pytest
from openpyxl import load_workbook

from bench import shandong_views
from checklists.models import ItemResult
from communities.counting import counted_q
from communities.division_import import import_divisions
from communities.models import CommunityPage
from tests.communities.divisions_data import SYSTEM, raw_files


@pytest.fixture
def province(round_, scoring_standard):
    report = import_divisions(raw_files(), actor=SYSTEM)
    assert report.ok, report.errors
    return round_


@pytest.mark.django_db
def test_fill_gives_the_share_its_25_results_in_bulk(province):
    counted = CommunityPage.objects.filter(counted_q()).count()
    figures = shandong_views.fill(province, seed=7, counted_share=1.0, other_share=0.0)
    assert figures["filled_communities"] == figures["filled_counted"] == counted > 0
    items = len(province.standard.item_numbers)
    assert figures["results"] == ItemResult.objects.filter(round=province).count() == counted * items
    filled = set(ItemResult.objects.values_list("community_id", flat=True))
    assert filled == set(CommunityPage.objects.filter(counted_q()).values_list("pk", flat=True))


@pytest.mark.django_db
def test_every_view_is_measured_as_its_user(province):
    shandong_views.fill(province, seed=7, counted_share=1.0, other_share=0.3)
    figures = shandong_views.measure_views(province, repeats=1, export_repeats=1)
    for key, *_ in shandong_views.ROWS:
        assert isinstance(figures[key], int | float) and figures[key] >= 0, key
    assert figures["communities"] == CommunityPage.objects.filter(counted_q()).count()
    assert figures["city_dashboard_city"] == "370800"
    assert figures["dashboard_queries"] > 0 and figures["overview_queries"] > 0 and figures["export_queries"] > 0
    assert 0 < figures["form_page_queries"] <= 15
    # The per-community floor returns exactly the rows the roll-up lists.
    assert figures["rollup_rows"] == CommunityPage.objects.count()
    # The export the province bureau downloaded is a workbook with a row per counted community.
    book = load_workbook(io.BytesIO(shandong_views.timed_get(
        shandong_views._client(shandong_views.bench_user("bench-province-bureau", "bureau", _province())),
        f"/admin/coverage/export/?round={province.code}&format=xlsx", 1)[3]), read_only=True)
    assert len(book.sheetnames) >= 3
    results = {"database": "sqlite", "communities_registered": CommunityPage.objects.count(),
               "filled_communities": 1, "machine": "2 CPU", "load_average": "1.0–1.0", **figures}
    text = shandong_views.table(results)
    assert "全省汇总" in text and "手机填报页" in text


def _province():
    from communities.models import ProvincePage

    return ProvincePage.objects.get()
