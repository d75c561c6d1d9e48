"""`make bench`: generate provinces of 1,000 and 10,000 communities, measure, write bench/results.json.

    python -m bench.run [--communities 10000] [--seed 2026] [--reuse]

SQLite by default; with DATABASE_URL=postgres://… it runs on that server, in its own databases
<name>_bench_1000 and <name>_bench_<N> (dropped and recreated; the database named in the URL is not touched).
Benchmarks report: a missed target is shown, never an error exit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import unicodedata

from . import divisions
from .databases import ROOT, VAR, engine, env_for, prepare, url_for
from .phone_photo import phone_jpeg

RESULTS = ROOT / "bench" / "results.json"
SMALL = 1000
# key, label, unit, target test (None: informational)
ROWS = [
    ("rollup_ms", "覆盖率汇总（全省）roll-up", "ms", lambda r: r["rollup_ms"] < 1000
     and r["rollup_ms"] <= 2 * r["rollup_raw_sql_ms"], "< 1000 且 ≤ 2× SQL"),
    ("rollup_raw_sql_ms", "手写 SQL 聚合 raw SQL floor", "ms", None, ""),
    ("rollup_queries", "汇总查询数 queries", "", lambda r: r["rollup_queries"] == r["rollup_queries_at_1000"],
     "= 1000 社区时"),
    ("rollup_queries_at_1000", "1000 社区时查询数 queries @1k", "", None, ""),
    ("coverage_json_ms", "覆盖率 JSON（逐社区列出）", "ms", None, ""),
    ("form_page_ms", "手机填报页 GET /c/<code>/", "ms", lambda r: r["form_page_ms"] < 60, "< 60"),
    ("form_page_queries", "填报页查询数 queries", "", lambda r: r["form_page_queries"] <= 15, "≤ 15"),
    ("overview_ms", "全省自评总览 assessment overview", "ms", lambda r: r["overview_ms"] < 3000, "< 3000"),
    ("overview_queries", "总览查询数 queries", "", lambda r: r["overview_queries"] <= 15, "≤ 15"),
    ("export_xlsx_s", "XLSX 导出 export", "s", lambda r: r["export_xlsx_s"] < 15, "< 15"),
    ("export_peak_mb", "导出峰值内存 export peak RSS", "MB", lambda r: r["export_peak_mb"] < 400, "< 400"),
    ("photo_ingest_ms", "12MP 照片处理 photo ingest", "ms", lambda r: r["photo_ingest_ms"] < 1500, "< 1500"),
    ("photo_peak_mb", "照片处理峰值内存 photo peak RSS", "MB", lambda r: r["photo_peak_mb"] < 250, "< 250"),
]
# The register at Shandong's size (bench/divisions.py): the division table's import, then the views at that size.
DIVISION_ROWS = [
    ("division_import_s", "区划表导入 import (62,074)", "s", lambda r: r["division_import_s"] <= 120, "≤ 120"),
    ("division_import_peak_mb", "导入峰值内存 import peak RSS", "MB", lambda r: r["division_import_peak_mb"] <= 1024,
     "≤ 1024"),
    ("division_reimport_s", "重复导入 re-import", "s", lambda r: r["division_reimport_s"] <= 60
     and r["division_reimport_changes"] == 0, "≤ 60，0 变更"),
    ("division_index_s", "搜索索引任务 index job", "s", None, ""),
    ("shandong_rollup_ms", "全省汇总 roll-up @62k", "ms",
     lambda r: r["shandong_rollup_ms"] <= 1.5 * r["shandong_rollup_raw_sql_ms"], "≤ 1.5× SQL"),
    ("shandong_rollup_raw_sql_ms", "手写 SQL 聚合 @62k", "ms", None, ""),
    ("shandong_coverage_json_ms", "覆盖率 JSON（逐社区列出）@62k", "ms", None, ""),
    ("shandong_dashboard_ms", "覆盖率统计页 dashboard @62k", "ms", None, ""),
    ("shandong_overview_ms", "全省自评总览 overview @62k", "ms", lambda r: r["shandong_overview_ms"] < 3000, "< 3000"),
    ("shandong_export_xlsx_s", "XLSX 导出 export @62k", "s",
     lambda r: r["shandong_export_xlsx_s"] <= 2 * r["shandong_export_floor_s"], "≤ 2× 写入下限"),
    ("shandong_export_floor_s", "同样单元格的只写写入 floor", "s", None, ""),
    ("shandong_form_page_ms", "手机填报页 @62k", "ms", lambda r: r["shandong_form_page_ms"] < 60, "< 60"),
]


def run_json(args: list[str], env: dict[str, str]) -> dict:
    """Run a benchmark subprocess and return the JSON object on its last line of output."""
    done = subprocess.run([sys.executable, *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def database(base_url: str | None, size: int, seed: int, reuse: bool) -> str:
    url = url_for(base_url, size)
    if reuse and _has_province(url, size):
        print(f"· 复用已生成的 {size} 社区数据库", flush=True)
        return url
    started = time.perf_counter()
    print(f"· 生成 {size} 个社区的模拟省份 …", flush=True)
    url = prepare(base_url, size, seed)
    print(f"  用时 {time.perf_counter() - started:.1f} 秒（含 migrate）", flush=True)
    return url


def _has_province(url: str, size: int) -> bool:
    code = (
        "from communities.models import CommunityPage;"
        "print(CommunityPage.objects.filter(street__kind='subdistrict').count())"
    )
    try:
        done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], env=env_for(url), cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0 and done.stdout.strip().splitlines()[-1:] == [str(size)]


def measure(base_url: str | None, size: int, seed: int, reuse: bool) -> dict:
    small = database(base_url, SMALL, seed, reuse)
    at_1000 = run_json(["-m", "bench.measure", "--what", "rollup"], env_for(small))
    big = database(base_url, size, seed, reuse)
    print("· 测量汇总与填报页 …", flush=True)
    results = {"database": engine(base_url), **run_json(["-m", "bench.measure"], env_for(big))}
    results["rollup_queries_at_1000"] = at_1000["rollup_queries"]
    print("· 测量 XLSX 导出（独立进程）…", flush=True)
    results.update(run_json(["-m", "bench.peak", "export", str(VAR / "bench-export.xlsx")], env_for(big)))
    photo = VAR / "bench-phone-12mp.jpg"
    photo.write_bytes(phone_jpeg(4000, 3000))
    print("· 测量照片处理（独立进程）…", flush=True)
    results.update(run_json(["-m", "bench.peak", "photo", str(photo)], env_for(big)))
    return results


def pad(text: str, width: int) -> str:
    """Left-align `text` in `width` terminal columns (Chinese characters take two)."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - columns)


def table(results: dict) -> str:
    lines = [f"数据库 {results['database']} · 社区 {results.get('communities', '—')} · {results['machine']}", ""]
    lines.append(f"{pad('指标 metric', 40)}{pad('结果 value', 16)}{pad('目标 target', 22)}达标")
    for key, label, unit, check, target in rows_of(results):
        verdict = "" if check is None else ("✓" if check(results) else "✗ 未达标")
        lines.append(f"{pad(label, 40)}{pad(f'{results[key]} {unit}', 16)}{pad(target, 22)}{verdict}")
    return "\n".join(lines)


def rows_of(results: dict) -> list:
    """The table's rows: the province's, and the Shandong-size ones when they were measured."""
    return [row for row in ROWS + DIVISION_ROWS if row[0] in results]


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmarks of issue 6 (see interfaces.md, Benchmarks)")
    parser.add_argument("--communities", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="reuse benchmark databases already generated")
    parser.add_argument("--only", choices=["province", "divisions"],
                        help="only the generated province, or only the register at Shandong's size")
    args = parser.parse_args()
    VAR.mkdir(exist_ok=True)
    base_url = os.environ.get("DATABASE_URL")
    results = {"database": engine(base_url)}
    if args.only != "divisions":
        results.update(measure(base_url, args.communities, args.seed, args.reuse))
    if args.only != "province":
        results.update(divisions.measure(base_url, args.seed))
    results["machine"] = f"{os.cpu_count()} CPU · Python {platform.python_version()}"
    results["targets_met"] = all(check(results) for _, _, _, check, _ in rows_of(results) if check)
    payload = json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    RESULTS.write_text(payload, encoding="utf-8")
    (RESULTS.parent / f"results-{results['database']}.json").write_text(payload, encoding="utf-8")
    print()
    print(table(results))
    print(f"\n已写入 {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
