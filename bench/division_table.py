"""A generated division table of Shandong's size (bench default when BENCH_DIVISIONS is not given): the same
counts per kind as the 2023 table (shared/data/divisions/SOURCE.md), in the five published CSV shapes, with
codes that follow the compilation rules. Deterministic."""

from __future__ import annotations

import csv
from pathlib import Path

CITIES = 16
# (first code, count) per kind, at each level: county-level digits 5–6, town-level 7–9, village-level 10–12.
UNIT_KINDS = [(1, 58), (21, 52), (71, 15), (81, 26)]  # 市辖区, 县, 类似县级单位, 县级市
STREET_KINDS = [(1, 684), (100, 1072), (200, 57), (400, 40)]  # 街道, 镇, 乡, 类似乡级单位
VILLAGE_KINDS = [(1, 6977), (200, 54974), (400, 107), (500, 16)]  # 居委会, 村委会, 类似居委会, 类似村委会
WORDS = "东关 西关 南关 北关 文化 建设 解放 人民 和平 胜利 新华 长青 园林 滨河 青年 朝阳 东风 永安 兴隆 丰收".split()
SUFFIX = {1: "社区居民委员会", 200: "村村民委员会", 400: "社区", 500: "村"}


def _spread(kinds: list[tuple[int, int]], parents: list[str], digits: int) -> dict[str, list[str]]:
    """Deal each kind's codes round the parents, numbering each parent's children of a kind from its first code."""
    children: dict[str, list[str]] = {p: [] for p in parents}
    for first, count in kinds:
        used = dict.fromkeys(parents, 0)
        for n in range(count):
            parent = parents[n % len(parents)]
            children[parent].append(f"{parent}{first + used[parent]:0{digits}d}")
            used[parent] += 1
    return children


def write_table(folder: Path) -> list[Path]:
    """Write provinces/cities/areas/streets/villages CSVs into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    cities = [f"37{n:02d}" for n in range(1, CITIES + 1)]
    units = _spread(UNIT_KINDS, cities, 2)
    streets = _spread(STREET_KINDS, [u for c in cities for u in units[c]], 3)
    villages = _spread(VILLAGE_KINDS, [s for u in streets for s in streets[u]], 3)
    rows = {
        "provinces": [["code", "name"], ["37", "山东省"]],
        "cities": [["code", "name", "provinceCode"]] + [[c, f"第{c[2:]}市", "37"] for c in cities],
        "areas": [["code", "name", "cityCode", "provinceCode"]]
        + [[u, f"{WORDS[int(u[4:]) % len(WORDS)]}{u[4:]}区", c, "37"] for c in cities for u in units[c]],
        "streets": [["code", "name", "areaCode", "provinceCode", "cityCode"]]
        + [[s, f"{WORDS[int(s[6:]) % len(WORDS)]}{s[6:]}街道", u, "37", u[:4]] for u in streets for s in streets[u]],
        "villages": [["code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"]]
        + [[v, _village_name(v), s, "37", s[:4], s[:6]] for s in villages for v in villages[s]],
    }
    paths = []
    for name, table in rows.items():
        path = folder / f"shandong-{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out, lineterminator="\n").writerows(table)
        paths.append(path)
    return paths


def _village_name(code: str) -> str:
    number = int(code[9:])
    first = max(k for k in SUFFIX if k <= number)
    return f"{WORDS[number % len(WORDS)]}{code[6:9]}{number:03d}{SUFFIX[first]}"
