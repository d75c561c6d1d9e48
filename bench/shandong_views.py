"""The views at Shandong's size (issue 17): the real division table imported once into its own database, a realistic
share of communities filled, then every heavy view timed through Django's test Client as the user who opens it,
beside its floor (hand-written SQL for the roll-up, a bare write-only writer of the same cells for the export).

    python -m bench.shandong_views [--rebuild] [--seed S] [--repeats N]   # `make bench-shandong`
    python -m bench.shandong_views job fill SEED | job measure REPEATS      # one step, in its own process

The table is BENCH_DIVISIONS's files, else shared/data/divisions beside the checkout, else a generated table of the
same size (bench/division_table.py). The built database (var/bench-shandong_views.sqlite3, or
`<name>_bench_shandong_views` on PostgreSQL) is kept with a marker of what built it, so a rerun only measures.
Writes bench/results-shandong.json (and results-shandong-<engine>.json). A missed target is marked, never an error exit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from . import divisions
from .databases import ROOT, VAR, engine, env_for, manage, recreate, url_for

NAME = "shandong_views"
SHARED_TABLE = ROOT.parent / "shared" / "data" / "divisions"
RESULTS = ROOT / "bench" / "results-shandong.json"
# A realistic first round: most counted 社区 have started their checklist, a few 村委会 fill it too.
COUNTED_SHARE, OTHER_SHARE = 0.7, 0.05
REPEATS, EXPORT_REPEATS = 7, 2
# key, label, unit, target check (None: informational), target text
ROWS = [
    ("rollup_ms", "全省汇总 coverage_totals", "ms", lambda r: r["rollup_ms"] <= 1.5 * r["rollup_raw_sql_ms"],
     "≤ 1.5× SQL"),
    ("rollup_raw_sql_ms", "手写 SQL 聚合 floor", "ms", None, ""),
    ("rollup_queries", "汇总查询数 queries", "", None, ""),
    # The contract JSON lists every registered community: its floor is the hand-written query of the same rows.
    ("coverage_json_ms", "覆盖率 JSON（逐社区）coverage_for_round", "ms", None, ""),
    ("rollup_rows_sql_ms", "手写 SQL 逐社区行（同样的行）", "ms", None, ""),
    ("dashboard_ms", "覆盖率统计（省大数据局）", "ms", None, ""),
    ("dashboard_queries", "覆盖率统计查询数", "", None, ""),
    ("city_dashboard_ms", "覆盖率统计（市大数据局）", "ms", None, ""),
    ("city_dashboard_queries", "市覆盖率统计查询数", "", None, ""),
    ("overview_ms", "全省自评总览（省大数据局）", "ms", lambda r: r["overview_ms"] < 3000, "< 3000"),
    # The whole request's queries (session, user, policy, menus): make bench's ≤ 15 counts the selector alone.
    ("overview_queries", "总览查询数（整个请求）", "", None, ""),
    ("export_xlsx_s", "覆盖率 XLSX 导出 GET", "s", lambda r: r["export_xlsx_s"] <= 2 * r["export_floor_s"],
     "≤ 2× 写入下限"),
    ("export_floor_s", "同样单元格的只写写入 floor", "s", None, ""),
    ("export_queries", "导出查询数 queries", "", None, ""),
    ("form_page_ms", "手机填报页 GET /c/<code>/", "ms", lambda r: r["form_page_ms"] < 60, "< 60"),
    ("form_page_queries", "填报页查询数 queries", "", lambda r: r["form_page_queries"] <= 15, "≤ 15"),
]


# --- the steps, each run in the benchmark database's own process (and by tests/bench on a tiny province) ---

def fill(round_, *, seed: int, counted_share: float = COUNTED_SHARE, other_share: float = OTHER_SHARE) -> dict:
    """Give a share of the communities their 25 results in bulk (devtools' mix; each unit has a maturity)."""
    from communities.counting import counted_q
    from communities.models import CommunityPage
    from devtools.province_results import Target, fill_round

    rng = random.Random(seed)
    counted = set(CommunityPage.objects.filter(counted_q()).values_list("pk", flat=True))
    maturity: dict[int, float] = {}
    targets = []
    for pk, unit in CommunityPage.objects.order_by("pk").values_list("pk", "unit_id"):
        share = counted_share if pk in counted else other_share
        if rng.random() < share:
            targets.append(Target(pk, maturity.setdefault(unit, rng.random()), pk in counted))
    counts = fill_round(round_, targets, seed=seed)
    return {"filled_communities": len(targets), "filled_counted": sum(t.in_scope for t in targets),
            "results": counts["results"], "smart": counts["smart"]}


def bench_user(username: str, role: str, region):
    """A user holding `role` over `region`, given through the roles service as an operator's command would."""
    from django.contrib.auth import get_user_model

    from audit.actors import system
    from communities.roles import assign

    user, _ = get_user_model().objects.get_or_create(username=username)
    assign(user, role, region, by=system("bench"))
    return user


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def timed_get(client, url: str, repeats: int) -> tuple[float, float, int, bytes]:
    """GET `url`: a first run (the warm-up) counts the queries, then `repeats` warm runs. Returns the median wall ms,
    the median CPU ms of this process (on SQLite the database's work too; less moved by other jobs on a shared
    machine than the wall time), the query count and the body."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        body = get().content
    # Now: the captured queries are a slice of the connection's log, which the next request resets.
    queries = len(captured)
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        get()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return round(statistics.median(walls), 1), round(statistics.median(cpus), 1), queries, body


def form_page(round_, repeats: int, communities: int = 5) -> dict:
    """GET /c/<code>/ for a few counted communities with answers under review, each as its own worker."""
    from checklists.models import Status
    from communities.counting import counted_q
    from communities.models import CommunityPage, Role

    candidates = (CommunityPage.objects.filter(counted_q(), results__round=round_, results__status=Status.SUBMITTED)
                  .distinct().order_by("code")[:communities])
    measured = [timed_get(_client(bench_user(f"bench-worker-{c.code}", Role.WORKER, c)), f"/c/{c.code}/", repeats)
                for c in candidates]
    return {"form_page_ms": round(statistics.median(m[0] for m in measured), 1),
            "form_page_cpu_ms": round(statistics.median(m[1] for m in measured), 1),
            "form_page_queries": max(m[2] for m in measured)}


def export_floor(round_, repeats: int) -> float:
    """Median seconds for a bare write-only openpyxl writer to save the export's cells (computed beforehand)."""
    import io

    from openpyxl import Workbook

    from coverage.exports import resources_for
    from coverage.rollup import report_for
    from coverage.selectors import ALL

    sheets = [(resource.get_export_headers(), [resource.export_resource(row, force_native_type=True)
                                               for row in rows])
              for resource, rows in resources_for(report_for(round_, ALL)).values()]
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        book = Workbook(write_only=True)
        for headers, rows in sheets:
            sheet = book.create_sheet()
            sheet.append(headers)
            for row in rows:
                sheet.append(row)
        book.save(io.BytesIO())
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _say(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


def measure_views(round_, *, repeats: int = REPEATS, export_repeats: int = EXPORT_REPEATS) -> dict:
    """Time every view at the database's size as its user; the roll-up and export beside their floors."""
    from django.db.models import Count
    from django.urls import reverse

    from communities.counting import counted_q
    from communities.models import CityPage, CommunityPage, ProvincePage, Role

    from .measure import REPEATS as MEASURE_REPEATS
    from .measure import rollup

    figures = rollup(round_) if repeats >= MEASURE_REPEATS else _rollup_once(round_)
    figures.update(rows_floor(round_, repeats))
    _say(f"roll-up {figures['rollup_ms']} ms, SQL {figures['rollup_raw_sql_ms']} ms; "
         f"JSON {figures['coverage_json_ms']} ms, rows SQL {figures['rollup_rows_sql_ms']} ms")
    province = bench_user("bench-province-bureau", Role.BUREAU, ProvincePage.objects.get())
    busiest = (CommunityPage.objects.filter(counted_q()).values("city_id").annotate(n=Count("pk"))
               .order_by("-n", "city_id").first())
    city = CityPage.objects.get(pk=busiest["city_id"])
    query = f"?round={round_.code}"
    as_province = _client(province)
    as_city = _client(bench_user(f"bench-city-bureau-{city.code}", Role.BUREAU, city))
    figures.update(city_dashboard_city=city.code, city_dashboard_communities=busiest["n"])
    for key, client, url in (("dashboard", as_province, reverse("coverage:index")),
                             ("city_dashboard", as_city, reverse("coverage:index")),
                             ("overview", as_province, reverse("assessments:overview"))):
        figures[f"{key}_ms"], figures[f"{key}_cpu_ms"], figures[f"{key}_queries"], _ = timed_get(
            client, url + query, repeats)
        _say(f"{key} {figures[f'{key}_ms']} ms, {figures[f'{key}_queries']} queries")
    figures.update(form_page(round_, repeats))
    _say(f"form page {figures['form_page_ms']} ms, {figures['form_page_queries']} queries")
    ms, cpu_ms, figures["export_queries"], body = timed_get(
        as_province, reverse("coverage:export") + query + "&format=xlsx", export_repeats)
    figures.update(export_xlsx_s=round(ms / 1000, 2), export_xlsx_cpu_s=round(cpu_ms / 1000, 2),
                   export_bytes=len(body))
    _say(f"export {figures['export_xlsx_s']} s")
    figures["export_floor_s"] = round(export_floor(round_, export_repeats), 2)
    _say(f"export floor {figures['export_floor_s']} s")
    return figures


def _rollup_once(round_) -> dict:
    """The roll-up's figures in one run each (tests/bench: the code path, not the time)."""
    from . import measure

    saved, measure.REPEATS = measure.REPEATS, 1
    try:
        return measure.rollup(round_)
    finally:
        measure.REPEATS = saved


def raw_community_rows(round_id: int, items: int) -> list[tuple]:
    """Every registered community with its kinds, retirement and passing items, in one hand-written query: what the
    contract's roll-up lists (every community, counted or not), so a floor for its size rather than its totals."""
    from checklists.models import ItemResult, Status
    from communities.models import CommunityPage, StreetPage

    sql = f"""
        SELECT c.page_ptr_id, c.code, p.title, c.unit_id, c.kind, s.kind,
               c.retired_at IS NOT NULL OR s.retired_at IS NOT NULL, COALESCE(r.n, 0)
        FROM {CommunityPage._meta.db_table} c
        JOIN wagtailcore_page p ON p.id = c.page_ptr_id
        JOIN {StreetPage._meta.db_table} s ON s.page_ptr_id = c.street_id
        LEFT JOIN (SELECT community_id, COUNT(*) AS n FROM {ItemResult._meta.db_table}
                   WHERE round_id = %s AND status = %s AND rules_pass = %s AND item_number BETWEEN 1 AND %s
                   GROUP BY community_id) r ON r.community_id = c.page_ptr_id
        ORDER BY c.code
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [round_id, Status.APPROVED, True, items])
        return cursor.fetchall()


def rows_floor(round_, repeats: int) -> dict:
    from .measure import median_ms

    items = len(round_.standard.item_numbers)
    rows = raw_community_rows(round_.pk, items)
    return {"rollup_rows_sql_ms": median_ms(lambda: raw_community_rows(round_.pk, items), repeats),
            "rollup_rows": len(rows)}


def _ensure_scoring_standard() -> None:
    from audit.actors import system
    from standards import scoring
    from standards.versions import latest, load_file

    if latest("SD-ZHCS-2019") is None:  # the overview scores against the bundled assessment standard
        load_file(scoring.BUNDLED, user=system("bench"))


def job_fill(seed: int) -> dict:
    divisions._setup()
    from django.db import transaction

    from audit.actors import system
    from standards.rounds import round_open
    from standards.versions import latest, load_bundled

    if latest() is None:
        load_bundled(user=system("bench"))
    _ensure_scoring_standard()
    round_, _ = round_open("2026", name="2026年度", user=system("bench"))
    started = time.perf_counter()
    # One transaction, as generate_province's: in autocommit SQLite commits (and syncs) every row of executemany.
    with transaction.atomic():
        figures = fill(round_, seed=seed)
    return {**figures, "fill_s": round(time.perf_counter() - started, 1)}


def job_measure(repeats: int) -> dict:
    divisions._setup()
    from communities.models import CommunityPage
    from standards.rounds import open_round

    _ensure_scoring_standard()
    return {"communities_registered": CommunityPage.objects.count(), **measure_views(open_round(), repeats=repeats)}


# --- the driver ---

def table_files() -> tuple[list[str], str]:
    """BENCH_DIVISIONS's files, else the shared copy of the 2023 table, else a generated table of its size."""
    if not os.environ.get("BENCH_DIVISIONS") and SHARED_TABLE.is_dir():
        os.environ["BENCH_DIVISIONS"] = str(SHARED_TABLE)
    return divisions.table_files()


def _job(args: list[str], url: str, **extra: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.shandong_views", "job", *args], env=env_for(url, **extra),
                          cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def build(url: str, seed: int, rebuild: bool) -> dict:
    """Import the table and fill the round once; reuse the database while the marker says it is the same build."""
    paths, source = table_files()
    wanted = {"source": source, "files": [[Path(p).name, Path(p).stat().st_size] for p in paths], "seed": seed,
              "shares": [COUNTED_SHARE, OTHER_SHARE], "url": url}
    marker = VAR / f"bench-{NAME}-{engine(url)}.json"
    if not rebuild and marker.exists():
        built = json.loads(marker.read_text(encoding="utf-8"))
        if built.get("wanted") == wanted:
            print("· 复用已导入并填报的山东数据库（--rebuild 重建）", flush=True)
            manage(url, "migrate", "--noinput", "-v", "0")
            return built["figures"]
    marker.unlink(missing_ok=True)
    recreate(url)
    manage(url, "migrate", "--noinput", "-v", "0")
    print(f"· 导入区划表（{source}，{len(paths)} 个文件）…", flush=True)
    # The import's search-index job is queued, not run: the views do not need it.
    imported = divisions._run(["import", *paths], url)
    print(f"  {imported['summary']}（{imported['seconds']} 秒）", flush=True)
    print("· 批量填报结果 …", flush=True)
    filled = _job(["fill", str(seed)], url)
    print(f"  {filled['filled_communities']} 个社区，{filled['results']} 条结果（{filled['fill_s']} 秒）", flush=True)
    figures = {"source": source, "division_rows": imported["rows"], "import_s": imported["seconds"], **filled}
    marker.write_text(json.dumps({"wanted": wanted, "figures": figures}, ensure_ascii=False), encoding="utf-8")
    return figures


def table(results: dict) -> str:
    from .run import pad

    lines = [f"数据库 {results['database']} · 登记社区 {results['communities_registered']} · 填报社区 "
             f"{results['filled_communities']} · {results['machine']} · 负载 {results['load_average']}", ""]
    for key, label, unit, check, target in ROWS:
        verdict = "" if check is None else ("✓" if check(results) else "✗ 未达标")
        lines.append(f"{pad(label, 34)}{pad(f'{results[key]} {unit}', 14)}{pad(target, 16)}{verdict}")
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:2] == ["job"]:
        step, args = sys.argv[2], sys.argv[3:]
        jobs = {"fill": lambda: job_fill(int(args[0])), "measure": lambda: job_measure(int(args[0]))}
        print(json.dumps(jobs[step](), ensure_ascii=False))
        return
    parser = argparse.ArgumentParser(description="The views at Shandong's size (issue 17)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--rebuild", action="store_true", help="import and fill again even if a build is cached")
    args = parser.parse_args()
    VAR.mkdir(exist_ok=True)
    base_url = os.environ.get("DATABASE_URL")
    url = url_for(base_url, NAME)
    results = {"database": engine(base_url), **build(url, args.seed, args.rebuild)}
    print("· 测量各页面（Django 测试客户端，热缓存，取中位数）…", flush=True)
    load_before = os.getloadavg()[0]
    results.update(_job(["measure", str(args.repeats)], url))
    results["machine"] = f"{os.cpu_count()} CPU（共享）· Python {platform.python_version()}"
    results["load_average"] = f"{load_before:.1f}–{os.getloadavg()[0]:.1f}"
    results["targets_met"] = all(check(results) for _, _, _, check, _ in ROWS if check)
    payload = json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    RESULTS.write_text(payload, encoding="utf-8")
    (RESULTS.parent / f"results-shandong-{results['database']}.json").write_text(payload, encoding="utf-8")
    print(table(results))


if __name__ == "__main__":
    main()
