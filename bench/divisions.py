"""The register at Shandong's size: import the official division table (BENCH_DIVISIONS=DIR, or a generated table
of the same size), import it again, fill a round, then measure the roll-up, dashboard, overview, export and the
phone's form page at that size.

    python -m bench.divisions [--seed S]          # run by `make bench`; prints one JSON line
    python -m bench.divisions job import FILE…    # one measured step, in its own process (peak memory)

Each step runs in a fresh process whose peak RSS (VmHWM) is its own, interpreter included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .databases import ROOT, VAR, env_for, manage, recreate, url_for

SIZE = "shandong"
PATTERNS = ("*.csv", "*.csv.gz", "*.xlsx")


def _setup() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def _peak_mb() -> float:
    from .peak import peak_mb

    return peak_mb()


def job_import(paths: list[str]) -> dict:
    """Import the table's files through the command's service; the index job is timed on its own."""
    _setup()
    from audit.actors import system
    from communities.division_import import import_divisions

    files = [(Path(p).name, Path(p).read_bytes()) for p in paths]
    started = time.perf_counter()
    report = import_divisions(files, actor=system("bench"), retire_missing=True)
    seconds = time.perf_counter() - started
    assert report.ok, report.errors[:5]
    return {"seconds": round(seconds, 1), "peak_mb": _peak_mb(), "changed": report.changed, "rows": report.rows,
            "summary": report.summary()}


def job_index() -> dict:
    """The search-index job an import queues, for every region page (what the first import queues)."""
    _setup()
    from communities.register_plan import MODELS
    from communities.tasks import index_region_pages

    pages = {level: list(model.objects.values_list("pk", flat=True)) for level, model in MODELS.items()}
    started = time.perf_counter()
    done = index_region_pages.call(pages)
    return {"seconds": round(time.perf_counter() - started, 1), "pages": done, "peak_mb": _peak_mb()}


def job_fill(seed: int) -> dict:
    """Open round 2026 and give every community under a 街道 or 类似乡级单位 its 25 results (devtools' mix)."""
    _setup()
    import random

    from django.db import transaction

    from audit.actors import system
    from communities.models import COUNTED_STREET_KINDS, CommunityPage
    from devtools.province_results import Target, fill_round
    from standards.rounds import round_open
    from standards.versions import latest, load_bundled

    if latest() is None:
        load_bundled(user=system("bench"))
    round_, _ = round_open("2026", name="2026年度", user=system("bench"))
    rng = random.Random(seed)
    maturity: dict[int, float] = {}
    targets = [
        Target(pk, maturity.setdefault(unit, rng.random()), True)
        for pk, unit in CommunityPage.objects.filter(street__kind__in=COUNTED_STREET_KINDS)
        .order_by("pk").values_list("pk", "unit_id")
    ]
    started = time.perf_counter()
    # One transaction, as generate_province's: in autocommit SQLite commits (and syncs) every row of executemany,
    # which is why this fill once did not finish in 50 minutes.
    with transaction.atomic():
        counts = fill_round(round_, targets, seed=seed)
    return {"filled_communities": len(targets), "results": counts["results"], "smart": counts["smart"],
            "fill_s": round(time.perf_counter() - started, 1)}


def job_export(out: str) -> dict:
    """The coverage XLSX export of the whole province, and the floor: the same cells by a bare write-only writer."""
    _setup()
    from openpyxl import Workbook

    from coverage.exports import resources_for, write_xlsx
    from coverage.rollup import report_for
    from coverage.selectors import ALL
    from standards.rounds import open_round

    started = time.perf_counter()
    write_xlsx(report_for(open_round(), ALL), out)
    export_s = time.perf_counter() - started
    sheets = [(resource.get_export_headers(), [resource.export_resource(row, force_native_type=True)
                                               for row in rows])
              for resource, rows in resources_for(report_for(open_round(), ALL)).values()]
    started = time.perf_counter()
    book = Workbook(write_only=True)
    for headers, rows in sheets:
        sheet = book.create_sheet()
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    book.save(out + ".floor.xlsx")
    return {"export_xlsx_s": round(export_s, 2), "export_floor_s": round(time.perf_counter() - started, 2),
            "export_peak_mb": _peak_mb()}


def _run(args: list[str], url: str) -> dict:
    # The import's search-index job is queued, not run inside the import's timing: it is measured on its own.
    env = env_for(url, BENCH_TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend")
    done = subprocess.run([sys.executable, "-m", "bench.divisions", "job", *args], env=env, cwd=ROOT,
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def table_files() -> tuple[list[str], str]:
    """The files to import: BENCH_DIVISIONS's, else a generated table of Shandong's size."""
    folder = os.environ.get("BENCH_DIVISIONS")
    if folder:
        paths = sorted(str(p) for pattern in PATTERNS for p in Path(folder).glob(pattern))
        if not paths:
            raise SystemExit(f"BENCH_DIVISIONS={folder}: 没有 CSV/XLSX 文件")
        return paths, folder
    from .division_table import write_table

    return [str(p) for p in write_table(VAR / "bench-divisions")], "generated"


def measure(base_url: str | None, seed: int = 2026) -> dict:
    """Run every step on a fresh database; return the figures, keys prefixed `division_` and `shandong_`."""
    paths, source = table_files()
    url = url_for(base_url, SIZE)
    recreate(url)
    manage(url, "migrate", "--noinput", "-v", "0")
    print(f"· 导入区划表（{source}，{len(paths)} 个文件）…", flush=True)
    first = _run(["import", *paths], url)
    print(f"  {first['summary']}（{first['seconds']} 秒，{first['peak_mb']} MB）", flush=True)
    again = _run(["import", *paths], url)
    index = _run(["index"], url)
    print("· 填报结果并测量 …", flush=True)
    filled = _run(["fill", str(seed)], url)
    figures = subprocess.run([sys.executable, "-m", "bench.measure"], env=env_for(url), cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip().splitlines()[-1]
    export = _run(["export", str(VAR / "bench-shandong-export.xlsx")], url)
    results = {
        "division_source": source, "division_rows": first["rows"], "division_import_s": first["seconds"],
        "division_import_peak_mb": first["peak_mb"], "division_reimport_s": again["seconds"],
        "division_reimport_peak_mb": again["peak_mb"], "division_reimport_changes": again["changed"],
        "division_index_s": index["seconds"], "division_index_pages": index["pages"],
        "shandong_filled_communities": filled["filled_communities"], "shandong_results": filled["results"],
    }
    results.update({f"shandong_{key}": value for key, value in {**json.loads(figures), **export}.items()})
    return results


def main() -> None:
    if sys.argv[1:2] == ["job"]:
        step, args = sys.argv[2], sys.argv[3:]
        jobs = {"import": lambda: job_import(args), "index": job_index, "fill": lambda: job_fill(int(args[0])),
                "export": lambda: job_export(args[0])}
        print(json.dumps(jobs[step](), ensure_ascii=False))
        return
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 2026
    print(json.dumps(measure(os.environ.get("DATABASE_URL"), seed), ensure_ascii=False))


if __name__ == "__main__":
    main()
