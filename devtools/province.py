"""Generate a synthetic province at full scale for benchmarks and load tests (`generate_province`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils.text import slugify

from audit.actors import system
from communities.counting import counts as counted
from communities.models import CityPage, CommunityPage, StreetPage, UnitPage
from communities.page_bulk import PageTree
from communities.tree import province_for
from standards.rounds import round_open
from standards.versions import latest, load_bundled

from .province_plan import plan_province
from .province_results import Target, fill_round


class ProvinceExists(ValueError):
    """Some of the generated codes are already in the database."""


@dataclass
class ProvinceReport:
    cities: int = 0
    units: int = 0
    unit_kinds: dict[str, int] = field(default_factory=dict)
    streets: int = 0
    communities: int = 0
    in_scope: int = 0
    pages: int = 0
    results: int = 0
    evidence: int = 0
    smart: int = 0
    round_code: str = ""
    seconds: float = 0.0

    def summary(self) -> str:
        kinds = "、".join(f"{k} {v}" for k, v in sorted(self.unit_kinds.items()))
        return (
            f"设区市 {self.cities}，区县 {self.units}（{kinds}），街道/乡镇 {self.streets}，"
            f"社区 {self.communities}（统计范围内 {self.in_scope}），页面 {self.pages}；"
            f"轮次 {self.round_code}：指标结果 {self.results}，照片记录 {self.evidence}，"
            f"全部达标社区 {self.smart}；用时 {self.seconds:.1f} 秒"
        )


def _slug(title: str) -> str:
    return slugify(title, allow_unicode=True)


@transaction.atomic
def generate_province(
    *,
    communities: int = 10_000,
    cities: int = 16,
    units: int = 140,
    seed: int = 2026,
    round_code: str = "2026",
    progress: Callable[[str], None] | None = None,
) -> ProvinceReport:
    """Build the province's region tree, open the round and fill it; all or nothing."""
    started = time.perf_counter()
    say = progress or (lambda message: None)
    plan = plan_province(communities=communities, cities=cities, units=units, seed=seed)
    codes = [c.code for c in plan.cities]
    if taken := list(CityPage.objects.filter(code__in=codes).values_list("code", flat=True)):
        raise ProvinceExists(f"设区市 {', '.join(sorted(taken))} 已存在：请在空数据库中生成模拟省份")
    if latest() is None:
        load_bundled(user=system("generate_province"))
    standard = latest()
    round_, created = round_open(round_code, name=f"{round_code}年度", user=system("generate_province"))
    if created:
        # Date the round back so generated submissions and decisions lie in the past.
        round_.opened_at -= timedelta(days=60)
        round_.save(update_fields=["opened_at"])
    if round_.standard_id != standard.pk:
        raise ProvinceExists(f"轮次 {round_code} 使用的不是最新标准版本")

    tree = PageTree(province_for(codes[0]), seed=seed)
    report = ProvinceReport(round_code=round_code, cities=len(plan.cities))
    targets: list[tuple] = []
    for city in plan.cities:
        city_node = tree.add(None, CityPage, city.title, _slug(city.title), code=city.code)
        for unit in city.units:
            unit_node = tree.add(city_node, UnitPage, unit.title, _slug(unit.title), code=unit.code,
                                 kind=unit.kind, city=city_node)
            report.unit_kinds[unit.kind] = report.unit_kinds.get(unit.kind, 0) + 1
            for street in unit.streets:
                street_node = tree.add(unit_node, StreetPage, street.title, _slug(street.title),
                                       code=street.code, kind=street.kind, unit=unit_node)
                for c in street.communities:
                    node = tree.add(street_node, CommunityPage, c.title, _slug(c.title), code=c.code, kind=c.kind,
                                    households=c.households, street=street_node, unit=unit_node, city=city_node)
                    targets.append((node, unit.maturity, counted(kind=c.kind, street_kind=street.kind)))
            report.streets += len(unit.streets)
    report.units = sum(report.unit_kinds.values())
    report.pages = tree.insert()
    report.communities = len(targets)
    report.in_scope = sum(1 for *_, in_scope in targets if in_scope)
    say(f"区划树已写入：{report.pages} 个页面，用时 {time.perf_counter() - started:.1f} 秒")

    def filled(done: int, total: int) -> None:
        if done == total or done % 2000 == 0:
            say(f"指标结果：{done}/{total} 个社区")

    counts = fill_round(
        round_, [Target(node.pk, maturity, in_scope) for node, maturity, in_scope in targets],
        seed=seed, progress=filled,
    )
    report.results, report.evidence, report.smart = counts["results"], counts["evidence"], counts["smart"]
    report.seconds = time.perf_counter() - started
    return report
