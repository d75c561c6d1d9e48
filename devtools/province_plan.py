"""Plan a synthetic province deterministically: cities, units of all four kinds, streets and communities."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction

from communities.counting import counts
from communities.models import CommunityKind, StreetKind, UnitKind

# Shandong's 16 設区市, real codes and names; everything below them is invented.
CITIES = [
    ("370100", "济南市"), ("370200", "青岛市"), ("370300", "淄博市"), ("370400", "枣庄市"),
    ("370500", "东营市"), ("370600", "烟台市"), ("370700", "潍坊市"), ("370800", "济宁市"),
    ("370900", "泰安市"), ("371000", "威海市"), ("371100", "日照市"), ("371300", "临沂市"),
    ("371400", "德州市"), ("371500", "聊城市"), ("371600", "滨州市"), ("371700", "菏泽市"),
]
# Division-code ranges by kind (districts 01–20, counties 21–80, county-level cities 81–99).
KIND_CODES = {
    UnitKind.MAIN_URBAN_DISTRICT: 2, UnitKind.INDEPENDENT_DISTRICT: 11,
    UnitKind.COUNTY: 21, UnitKind.COUNTY_CITY: 81,
}
KIND_SUFFIX = {
    UnitKind.MAIN_URBAN_DISTRICT: "区", UnitKind.INDEPENDENT_DISTRICT: "区",
    UnitKind.COUNTY: "县", UnitKind.COUNTY_CITY: "市",
}
# How many in-scope (街道) communities a unit of each kind has, relative to the others.
URBAN_WEIGHT = {
    UnitKind.MAIN_URBAN_DISTRICT: 1.6, UnitKind.INDEPENDENT_DISTRICT: 1.0,
    UnitKind.COUNTY: 0.6, UnitKind.COUNTY_CITY: 0.9,
}
# And how many town/township (out-of-scope) ones.
RURAL_WEIGHT = {
    UnitKind.MAIN_URBAN_DISTRICT: 0.2, UnitKind.INDEPENDENT_DISTRICT: 0.5,
    UnitKind.COUNTY: 1.0, UnitKind.COUNTY_CITY: 0.8,
}
OUT_OF_SCOPE_SHARE = Fraction(15, 100)
COMMUNITIES_PER_STREET = 12
COMMUNITIES_PER_TOWN = 6
UNIT_WORDS = "中东西南北新城河山海泉湖阳平安宁丰和昌乐兴泰华明"
PLACE_WORDS = (
    "东关 西关 南关 北关 文化 建设 解放 人民 和平 胜利 新华 长青 园林 滨河 青年 工人 朝阳 东风 永安 兴隆 "
    "丰收 富民 安居 锦绣 文昌 金桥 春晖 明德 康宁 友谊 幸福 阳光 绿苑 花园 翠竹 松柏 梧桐 玉兰 海棠 紫荆"
).split()


@dataclass
class CommunityPlan:
    code: str
    title: str
    households: int
    kind: str = CommunityKind.RESIDENTS


@dataclass
class StreetPlan:
    code: str
    title: str
    kind: str
    communities: list[CommunityPlan] = field(default_factory=list)


@dataclass
class UnitPlan:
    code: str
    title: str
    kind: str
    # 0..1: how far the unit's communities have got; spreads coverage across the tiers.
    maturity: float
    streets: list[StreetPlan] = field(default_factory=list)


@dataclass
class CityPlan:
    code: str
    title: str
    units: list[UnitPlan] = field(default_factory=list)


@dataclass
class ProvincePlan:
    cities: list[CityPlan]

    def units(self) -> list[UnitPlan]:
        return [u for c in self.cities for u in c.units]

    def communities(self) -> list[tuple[UnitPlan, StreetPlan, CommunityPlan]]:
        return [(u, s, m) for u in self.units() for s in u.streets for m in s.communities]

    def in_scope_count(self) -> int:
        return sum(1 for _, s, c in self.communities() if counts(kind=c.kind, street_kind=s.kind))


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integer shares proportional to `weights` (largest remainder; sums exactly)."""
    if not weights:
        return []
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (exact[i] - shares[i], -i), reverse=True)
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _unit_kinds(count: int) -> list[str]:
    """Return the kinds of a city's units: about 3/8 main urban districts, one independent, the rest counties."""
    order = [UnitKind.MAIN_URBAN_DISTRICT, UnitKind.COUNTY, UnitKind.COUNTY_CITY, UnitKind.INDEPENDENT_DISTRICT]
    if count <= len(order):
        return order[:count]
    main = max(1, round(count * 3 / 8))
    county_city = max(1, round(count * 2 / 9))
    county = count - main - county_city - 1
    return (
        [UnitKind.MAIN_URBAN_DISTRICT] * main + [UnitKind.INDEPENDENT_DISTRICT]
        + [UnitKind.COUNTY] * county + [UnitKind.COUNTY_CITY] * county_city
    )


def _place(index: int, suffix: str) -> str:
    word = PLACE_WORDS[index % len(PLACE_WORDS)]
    round_ = index // len(PLACE_WORDS)
    return f"{word}{round_ + 1 if round_ else ''}{suffix}"


def _streets(unit: UnitPlan, urban: int, rural: int, rng: random.Random) -> None:
    """Give the unit its 街道 (holding `urban` communities) and its 镇/乡 (holding `rural`)."""
    plan = []
    if urban:
        n = min(99, max(1, round(urban / COMMUNITIES_PER_STREET)))
        plan += [(StreetKind.SUBDISTRICT, 1 + i, "街道", share) for i, share in enumerate(
            apportion(urban, [rng.uniform(0.6, 1.4) for _ in range(n)]))]
    if rural:
        n = min(98, max(1, round(rural / COMMUNITIES_PER_TOWN)))
        towns = n - n // 3 if n > 1 else 1
        for i, share in enumerate(apportion(rural, [rng.uniform(0.6, 1.4) for _ in range(n)])):
            kind, number = (StreetKind.TOWN, 101 + i) if i < towns else (StreetKind.TOWNSHIP, 201 + i - towns)
            plan.append((kind, number, "镇" if kind == StreetKind.TOWN else "乡", share))
    offset = rng.randrange(len(PLACE_WORDS))
    for index, (kind, number, suffix, size) in enumerate(plan):
        street = StreetPlan(f"{unit.code}{number:03d}", _place(offset + index, suffix), kind)
        name_suffix = "社区" if kind == StreetKind.SUBDISTRICT else "村"
        start = rng.randrange(len(PLACE_WORDS))
        street.communities = [
            CommunityPlan(f"{street.code}{n:03d}", _place(start + n, name_suffix), rng.randint(300, 4800))
            for n in range(1, size + 1)
        ]
        unit.streets.append(street)


def plan_province(*, communities: int = 10_000, cities: int = 16, units: int = 140, seed: int = 2026) -> ProvincePlan:
    """Plan `communities` in-scope communities (plus ~15% under towns) over `cities` cities and `units` units."""
    if communities < 1:
        raise ValueError("communities must be at least 1")
    rng = random.Random(seed)
    units = max(1, min(units, communities))
    cities = max(1, min(cities, len(CITIES), units))
    plan = ProvincePlan([CityPlan(code, name) for code, name in CITIES[:cities]])
    for city, count in zip(plan.cities, apportion(units, [1.0] * cities), strict=True):
        stem, seen = city.title.removesuffix("市"), {}
        for kind in _unit_kinds(count):
            n = seen[kind] = seen.get(kind, -1) + 1
            code = f"{city.code[:4]}{KIND_CODES[kind] + n:02d}"
            word = UNIT_WORDS[(KIND_CODES[kind] + n) % len(UNIT_WORDS)]
            city.units.append(UnitPlan(code, f"{stem}{word}{KIND_SUFFIX[kind]}", kind, rng.uniform(0.25, 0.97)))
    all_units = plan.units()
    urban = apportion(communities, [URBAN_WEIGHT[u.kind] * rng.uniform(0.6, 1.4) for u in all_units])
    rural_total = int(communities * OUT_OF_SCOPE_SHARE)
    rural = apportion(rural_total, [RURAL_WEIGHT[u.kind] * rng.uniform(0.6, 1.4) for u in all_units])
    for unit, n_urban, n_rural in zip(all_units, urban, rural, strict=True):
        _streets(unit, n_urban, n_rural, rng)
    return plan
