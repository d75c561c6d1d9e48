"""Compare a register listing (the old-format register or the official division table) with the region tree in
the database, and work out every change: 新增, 改名, 迁移, 撤销, 恢复 and 更新 (a kind, the urban-rural class,
households). The plan is what a dry run counts and exactly what the one write path (register_write) applies.

Annual changes (区划调整): with `retire_missing` the listing is the whole table of its provinces, so a unit it no
longer lists is retired (never deleted), and a unit whose old code is gone while a unit of the same level and
name appears under the same county-level unit is the same unit moved (it keeps its page, results and history
under the new code). Moves may also be stated (`--moves`), which wins over the name match.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from .models import (
    CityPage,
    CommunityKind,
    CommunityPage,
    DivisionKind,
    ProvincePage,
    StreetKind,
    StreetPage,
    UnitKind,
    UnitPage,
)

LEVELS = ("province", "city", "unit", "street", "community")
PARENT_LEVEL = dict(zip(LEVELS[1:], LEVELS, strict=False))
LEVEL_NAMES = {"province": "省", "city": "设区市", "unit": "区县", "street": "街道/乡镇", "community": "社区"}
MODELS = {"province": ProvincePage, "city": CityPage, "unit": UnitPage, "street": StreetPage,
          "community": CommunityPage}
OWN_FIELDS = {"province": (), "city": (), "unit": ("kind", "division_kind", "kind_confirmed"), "street": ("kind",),
              "community": ("kind", "urban_rural_code", "households")}
# Ancestors copied onto a page (kept in step with the tree) so coverage is a handful of joins.
LINKS = {"unit": ("city",), "street": ("unit",), "community": ("street", "unit", "city")}
PROVINCE_NAMES = {"37": "山东省"}
# A 市辖区 or 类似县级单位 is its city's to place: main urban area (主城区) or 独立性较强的建制区.
CITY_DECIDES = (DivisionKind.DISTRICT, DivisionKind.COUNTY_LIKE)
CITY_CHOICES = (UnitKind.MAIN_URBAN_DISTRICT, UnitKind.INDEPENDENT_DISTRICT)
DEFAULT_UNIT_KIND = {DivisionKind.DISTRICT: UnitKind.MAIN_URBAN_DISTRICT,
                     DivisionKind.COUNTY_LIKE: UnitKind.MAIN_URBAN_DISTRICT,
                     DivisionKind.COUNTY: UnitKind.COUNTY, DivisionKind.COUNTY_CITY: UnitKind.COUNTY_CITY}


class Change(StrEnum):
    NEW = "新增"
    RENAMED = "改名"
    MOVED = "迁移"
    RETIRED = "撤销"
    RESTORED = "恢复"
    UPDATED = "更新"


@dataclass(slots=True, eq=False)
class Listed:
    """A unit as a file lists it, with its code and its parent's code as the register stores them."""

    level: str
    code: str
    name: str
    parent: str  # "" for a province
    fields: dict  # what the file says of the unit itself: kind, division_kind, urban_rural_code, households
    file: str = ""
    row: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return self.level, self.code

    @property
    def parent_key(self) -> tuple[str, str] | None:
        return (PARENT_LEVEL[self.level], self.parent) if self.parent else None


@dataclass(slots=True, eq=False)
class Held:
    """A region page as the database holds it."""

    level: str
    pk: int
    code: str
    title: str
    path: str
    retired: bool
    fields: dict
    links: dict  # link field → page id
    parent: Held | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.level, self.code


@dataclass(slots=True)
class Entry:
    """One change, as the --report file lists it."""

    level: str
    code: str
    name: str
    change: Change
    old_code: str = ""
    old_parent: str = ""
    new_parent: str = ""
    old_name: str = ""
    new_name: str = ""
    detail: str = ""
    pk: int | None = None


@dataclass
class Plan:
    listed: dict[tuple[str, str], Listed]
    held: dict[tuple[str, str], Held]
    creates: list[Listed] = field(default_factory=list)
    moves: dict[int, Listed] = field(default_factory=dict)  # page id → its listing under its new code/parent
    updates: dict[int, dict] = field(default_factory=lambda: defaultdict(dict))  # page id → field → value
    retires: list[Held] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    errors: list[tuple[str, int, str]] = field(default_factory=list)  # (file, row, message)
    notes: list[str] = field(default_factory=list)
    moved_from: dict[tuple[str, str], Listed] = field(default_factory=dict)
    moved_to: dict[tuple[str, str], Held] = field(default_factory=dict)

    def page(self, key: tuple[str, str]) -> Held | None:
        """The held page a listed key will be after the import (its own, or the one moved to that code)."""
        return self.held.get(key) or self.moved_to.get(key)


def load_held() -> dict[tuple[str, str], Held]:
    """Read every region page with what the plan compares (one query per level)."""
    held: dict[tuple[str, str], Held] = {}
    by_path: dict[str, Held] = {}
    for level, model in MODELS.items():
        own, links = OWN_FIELDS[level], LINKS.get(level, ())
        names = ("pk", "code", "title", "path", "retired_at", *own, *(f"{name}_id" for name in links))
        for row in model.objects.values_list(*names).iterator(chunk_size=5000):
            page = Held(level, row[0], row[1], row[2], row[3], row[4] is not None,
                        dict(zip(own, row[5:5 + len(own)], strict=True)),
                        dict(zip(links, row[5 + len(own):], strict=True)))
            held[page.key] = by_path[page.path] = page
    for page in held.values():
        page.parent = by_path.get(page.path[:-4])
    return held


def city_placed(fields: dict) -> bool:
    """Whether a unit's kind is its city's confirmed decision (a 市辖区 or 类似县级单位 placed by its city)."""
    return fields["division_kind"] in CITY_DECIDES and fields["kind_confirmed"]


def unit_kind(held: dict | None, division_kind: str) -> dict:
    """Return a unit's kind fields for its division kind: a 县 or 县级市 is what the table says; a 市辖区 or
    类似县级单位 is a main urban district to be confirmed by its city, unless its city already placed it."""
    if division_kind not in CITY_DECIDES:
        return {"kind": DEFAULT_UNIT_KIND[division_kind], "division_kind": division_kind, "kind_confirmed": True}
    placed = held and held["kind_confirmed"] and held["kind"] in CITY_CHOICES
    if placed and held["division_kind"] in ("", *CITY_DECIDES):
        return {"kind": held["kind"], "division_kind": division_kind, "kind_confirmed": True}
    return {"kind": UnitKind.MAIN_URBAN_DISTRICT, "division_kind": division_kind, "kind_confirmed": False}


def plan_register(listing: list[Listed], *, held: dict | None = None, retire_missing: bool = False,
                  moves: list[tuple[str, int, str, str, str]] = (), add_provinces: bool = False) -> Plan:
    """Work out every change the listing makes to the held tree. `moves` are stated (file, row, level, old, new);
    `add_provinces` creates a missing province by name (the old register format has no province row)."""
    plan = Plan({item.key: item for item in listing}, load_held() if held is None else held)
    if add_provinces:
        _add_provinces(plan)
    _stated_moves(plan, moves)
    provinces = {code[:2] for _, code in plan.listed}
    gone = {key for key, page in plan.held.items() if retire_missing and key[0] != "province" and not page.retired
            and page.code[:2] in provinces and key not in plan.listed and key not in plan.moved_from}
    if retire_missing:
        _name_moves(plan, gone)
    _check_parents(plan, gone)
    if plan.errors:
        return plan
    for item in sorted(plan.listed.values(), key=lambda i: (LEVELS.index(i.level), i.code)):
        page = plan.page(item.key)
        if page is None:
            plan.creates.append(item)
            plan.entries.append(Entry(item.level, item.code, item.name, Change.NEW, new_parent=item.parent,
                                      new_name=item.name))
        else:
            _compare(plan, page, item)
    for key in sorted(gone, key=lambda k: (LEVELS.index(k[0]), k[1])):
        page = plan.held[key]
        plan.retires.append(page)
        plan.entries.append(Entry(page.level, page.code, page.title, Change.RETIRED, old_code=page.code,
                                  old_parent=page.parent.code if page.parent else "", old_name=page.title,
                                  pk=page.pk))
    return plan


def _add_provinces(plan: Plan) -> None:
    for item in list(plan.listed.values()):
        key = item.parent_key
        if item.level == "city" and key not in plan.listed and key not in plan.held:
            plan.listed[key] = Listed("province", key[1], PROVINCE_NAMES.get(key[1][:2], key[1]), "", {},
                                      item.file, item.row)


def _stated_moves(plan: Plan, moves) -> None:
    """Record the moves a moves file states: the old code held, the new one listed and not held."""
    seen_old, seen_new = set(), set()
    for file, row, level, old, new in moves:
        old_key, new_key = (level, old), (level, new)
        problem = (
            f"原代码 {old} 不在名册中" if old_key not in plan.held else
            f"新代码 {new} 已在名册中" if new_key in plan.held else
            f"新代码 {new} 不在导入的文件中" if new_key not in plan.listed else
            f"原代码 {old} 仍在导入的文件中，不能迁移" if old_key in plan.listed else
            f"原代码 {old} 重复" if old_key in seen_old else
            f"新代码 {new} 重复" if new_key in seen_new else ""
        )
        seen_old.add(old_key)
        seen_new.add(new_key)
        if problem:
            plan.errors.append((file, row, problem))
        else:
            plan.moved_from[old_key], plan.moved_to[new_key] = plan.listed[new_key], plan.held[old_key]


def _county(plan: Plan, page: Held) -> str:
    """The county-level unit a held street or community will be under, after its ancestors' moves."""
    node = page.parent
    while node is not None and node.level != "unit":
        if moved := plan.moved_from.get(node.key):
            return moved.code[:6]
        node = node.parent
    if node is None:
        return page.code[:6]
    moved = plan.moved_from.get(node.key)
    return moved.code if moved else node.code


def _name_moves(plan: Plan, gone: set) -> None:
    """A street or community whose code is gone, with one of the same name newly listed under the same
    county-level unit, has moved (区划调整); ambiguous names are left as retired and new."""
    for level in ("street", "community"):
        olds: dict[tuple[str, str], list[Held]] = defaultdict(list)
        for key in sorted(k for k in gone if k[0] == level):
            page = plan.held[key]
            olds[_county(plan, page), page.title].append(page)
        news: dict[tuple[str, str], list[Listed]] = defaultdict(list)
        for key, item in plan.listed.items():
            if key[0] == level and key not in plan.held and key not in plan.moved_to:
                news[item.code[:6], item.name].append(item)
        for (county, name), pages in olds.items():
            candidates = news.get((county, name), [])
            if len(pages) == 1 and len(candidates) == 1:
                plan.moved_from[pages[0].key], plan.moved_to[candidates[0].key] = candidates[0], pages[0]
                gone.discard(pages[0].key)
            elif candidates:
                codes = "、".join(p.code for p in pages)
                plan.notes.append(f"{LEVEL_NAMES[level]}“{name}”（原代码 {codes}）在 {county} 下有 "
                                  f"{len(candidates)} 个同名新代码，无法确定迁移，按撤销和新增处理；可用 --moves 指明")


def _check_parents(plan: Plan, gone: set) -> None:
    """Every listed unit needs a parent that is there after the import: listed, or held and not retired."""
    provinces = [p for p in plan.held.values() if p.level == "province"]
    for item in plan.listed.values():
        parent = item.parent_key
        if parent is None:
            others = [p for p in provinces if p.code != item.code]
            if others and plan.page(item.key) is None:
                plan.errors.append((item.file, item.row, f"名册只能有一个省（已有 {others[0].title}）"))
            continue
        if parent in plan.listed:
            continue
        page = plan.held.get(parent)
        what = f"上级{LEVEL_NAMES[parent[0]]} {parent[1]} "
        problem = (
            "不在导入的文件中，也不在名册中" if page is None else
            f"已迁移为 {plan.moved_from[parent].code}" if parent in plan.moved_from else
            "不在导入的文件中，将被撤销" if parent in gone else
            "已撤销（区划调整），请同时导入它" if page.retired else ""
        )
        if problem:
            plan.errors.append((item.file, item.row, what + problem))


def _target_fields(page: Held, item: Listed) -> dict:
    """The page's own fields after the import: what the listing states, a unit's kind by the kind rules."""
    wanted = dict(item.fields)
    if item.level == "unit" and "division_kind" in wanted:
        wanted = unit_kind(page.fields, wanted["division_kind"])
    return {name: value for name, value in wanted.items() if page.fields.get(name) != value}


def _compare(plan: Plan, page: Held, item: Listed) -> None:
    """Record what changes for a held page the listing names (under its own code or a new one)."""
    common = {"level": item.level, "code": item.code, "name": item.name, "pk": page.pk}
    if item.level == "unit" and "kind" in item.fields and city_placed(page.fields) and (
            item.fields["kind"] != page.fields["kind"]):
        label = UnitKind(page.fields["kind"]).label
        plan.errors.append((item.file, item.row, f"区县 {item.code} 的类型已由设区市确认为“{label}”，名册不能更改"))
        return
    parent = plan.page(item.parent_key) if item.parent_key else None
    moved = item.code != page.code or (parent is None and item.parent_key is not None) or (
        parent is not None and parent is not page.parent)
    updates = {}
    if moved:
        plan.moves[page.pk] = item
        updates["code"] = item.code
        plan.entries.append(Entry(**common, change=Change.MOVED, old_code=page.code,
                                  old_parent=page.parent.code if page.parent else "", new_parent=item.parent))
    if item.name != page.title:
        updates["title"] = item.name
        plan.entries.append(Entry(**common, change=Change.RENAMED, old_name=page.title, new_name=item.name))
    if page.retired:
        updates["retired_at"] = None
        plan.entries.append(Entry(**common, change=Change.RESTORED, new_parent=item.parent))
    if changed := _target_fields(page, item):
        updates.update(changed)
        detail = describe_fields(item.level, page.fields, changed)
        plan.entries.append(Entry(**common, change=Change.UPDATED, detail=detail))
    if updates:
        plan.updates[page.pk].update(updates)


FIELD_LABELS = {"kind": "类型", "division_kind": "区划类型", "kind_confirmed": "类型确认",
                "urban_rural_code": "城乡分类代码", "households": "总户数"}
CHOICES = {("unit", "kind"): UnitKind, ("street", "kind"): StreetKind, ("community", "kind"): CommunityKind,
           ("unit", "division_kind"): DivisionKind}


def describe_fields(level: str, before: dict, after: dict) -> str:
    """Say which fields change, from what to what, e.g. "类型：县 → 县级市"."""
    def shown(name: str, value) -> str:
        if isinstance(value, bool):
            return "已确认" if value else "待设区市确认"
        if value in (None, ""):
            return "（空）"
        choices = CHOICES.get((level, name))
        return str(choices(value).label) if choices else str(value)

    return "；".join(f"{FIELD_LABELS.get(name, name)}：{shown(name, before.get(name))} → {shown(name, value)}"
                    for name, value in after.items())
