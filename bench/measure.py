"""In-process measurements on a generated province: the roll-up, its SQL floor and the phone form page.

Run by bench/run.py in a subprocess whose DATABASE_URL names the benchmark database; prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from audit.actors import system  # noqa: E402
from checklists.models import ItemResult, Status  # noqa: E402
from communities.counting import counted_q  # noqa: E402
from communities.models import (  # noqa: E402
    COUNTED_COMMUNITY_KINDS,
    COUNTED_STREET_KINDS,
    CommunityPage,
    Role,
    StreetPage,
    UnitPage,
)
from communities.roles import assign  # noqa: E402
from coverage.rollup import coverage_for_round, coverage_totals  # noqa: E402
from standards.rounds import open_round  # noqa: E402

REPEATS = 7
FORM_COMMUNITIES = 5
FORM_REPEATS = 12


def median_ms(action, repeats: int = REPEATS) -> float:
    """Run `action` once to warm up, then `repeats` times; return the median wall time in ms."""
    action()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def count_queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def raw_smart_per_unit(round_id: int, items: int) -> list[tuple]:
    """Count smart communities per unit with one hand-written aggregate (the floor for the roll-up)."""
    t_result, t_community = ItemResult._meta.db_table, CommunityPage._meta.db_table
    t_street = StreetPage._meta.db_table
    kinds, street_kinds = list(COUNTED_COMMUNITY_KINDS), list(COUNTED_STREET_KINDS)
    sql = f"""
        SELECT c.unit_id, COUNT(*)
        FROM {t_community} c
        JOIN {t_street} s ON s.page_ptr_id = c.street_id
        JOIN (SELECT community_id FROM {t_result}
              WHERE round_id = %s AND status = %s AND rules_pass = %s
              GROUP BY community_id HAVING COUNT(*) = %s) smart ON smart.community_id = c.page_ptr_id
        WHERE c.kind IN ({", ".join(["%s"] * len(kinds))}) AND s.kind IN ({", ".join(["%s"] * len(street_kinds))})
          AND c.retired_at IS NULL AND s.retired_at IS NULL
        GROUP BY c.unit_id
    """
    # The communities that count (communities.counting); a retired unit is not in the roll-up's units at all.
    with connection.cursor() as cursor:
        cursor.execute(sql, [round_id, Status.APPROVED, True, items, *kinds, *street_kinds])
        return cursor.fetchall()


def rollup(round_) -> dict:
    """The roll-up (every city's and unit's figures: coverage_totals, what the dashboard and the overview run) against
    its floor, and the contract JSON that also lists every community (coverage_for_round: the API, the command)."""
    items = len(round_.standard.item_numbers)
    data = coverage_totals(round_)
    raw = dict(raw_smart_per_unit(round_.pk, items))
    unit_ids = dict(UnitPage.objects.values_list("code", "pk"))
    # Both must count the same thing, or the comparison means nothing.
    for unit in data["units"]:
        assert unit["smart_communities"] == raw.get(unit_ids[unit["code"]], 0), unit["code"]
    return {
        "communities": sum(u["communities"] for u in data["units"]),
        "rollup_ms": median_ms(lambda: coverage_totals(round_)),
        "rollup_raw_sql_ms": median_ms(lambda: raw_smart_per_unit(round_.pk, items)),
        "rollup_queries": count_queries(lambda: coverage_totals(round_)),
        "coverage_json_ms": median_ms(lambda: coverage_for_round(round_)),
        "coverage_json_queries": count_queries(lambda: coverage_for_round(round_)),
    }


def form_page(round_) -> dict:
    """Time GET /c/<code>/ for a few communities with a realistic mix of statuses, each as its own worker."""
    candidates = (
        CommunityPage.objects.filter(counted_q(), results__round=round_,
                                     results__status=Status.SUBMITTED)
        .distinct().order_by("code")[:FORM_COMMUNITIES]
    )
    times, queries = [], []
    for community in candidates:
        user, _ = get_user_model().objects.get_or_create(username=f"bench-worker-{community.code}")
        assign(user, Role.WORKER, community, by=system("bench"))
        client = Client()
        client.force_login(user)
        url = f"/c/{community.code}/"

        def get(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        times.append(median_ms(get, FORM_REPEATS))
        queries.append(count_queries(get))
    return {"form_page_ms": round(statistics.median(times), 1), "form_page_queries": max(queries)}


def assessment_overview(round_) -> dict:
    """Time the province overview of self-assessments (every city and county, community-derived indicators)."""
    from assessments.overview import summaries
    from assessments.regions import regions
    from standards import scoring
    from standards.versions import latest, load_file

    if latest("SD-ZHCS-2019") is None:  # a province generated without load_standard
        load_file(scoring.BUNDLED, user=system("bench"))
    everything = regions()
    return {"overview_ms": median_ms(lambda: summaries(round_, everything)),
            "overview_queries": count_queries(lambda: summaries(round_, everything)),
            "overview_regions": len(everything)}


def dashboard(round_) -> dict:
    """Time the coverage dashboard (覆盖率统计, the whole province) as an administrator sees it."""
    from django.urls import reverse

    user, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True,
                                                                                       "is_staff": True})
    client = Client()
    client.force_login(user)
    url = reverse("coverage:index")

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return {"dashboard_ms": median_ms(get, 5), "dashboard_queries": count_queries(get)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--what", choices=["rollup", "all"], default="all")
    args = parser.parse_args()
    round_ = open_round()
    figures = rollup(round_)
    if args.what == "all":
        figures.update(form_page(round_))
        figures.update(assessment_overview(round_))
        figures.update(dashboard(round_))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
