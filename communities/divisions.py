"""The official division table (统计用区划代码, interfaces.md "The official division table"): find the code, name
and urban-rural columns by header, derive each row's level, parent and kind from its code by the table's
compilation rules, and check every row. What comes out is the register's own listing (register_plan.Listed),
which the one register write path compares with what is held and applies."""

from __future__ import annotations

from dataclasses import dataclass

from .models import CommunityKind, DivisionKind, StreetKind
from .register_plan import LEVEL_NAMES, Listed
from .tables import Table, TableError, read_tables

# Digits of a code at each level (the table's short form); a 12-digit code padded with zeros is the same unit.
LEVEL_DIGITS = {"province": 2, "city": 4, "unit": 6, "street": 9, "community": 12}
LEVELS = tuple(LEVEL_DIGITS)
SEGMENTS = ((0, 2), (2, 4), (4, 6), (6, 9), (9, 12))  # each level's own digits in the 12-digit form
CODE_HEADERS = ("code", "统计用区划代码", "区划代码", "代码")
NAME_HEADERS = ("name", "名称")
URBAN_RURAL_HEADERS = ("urban_rural_code", "城乡分类代码")
# 城乡分类代码: 111 主城区, 112 城乡结合区, 121 镇中心区, 122 镇乡结合区, 123 特殊区域, 210 乡中心区, 220 村庄.
URBAN_RURAL_CODES = ("111", "112", "121", "122", "123", "210", "220")
NAME_MAX = 255  # Wagtail's page title


class CodeError(ValueError):
    """A code that is not one of the table's (the message says why)."""


def _kind(number: int, ranges: tuple[tuple[int, int, str], ...], what: str, code: str) -> str:
    for low, high, kind in ranges:
        if low <= number <= high:
            return kind
    raise CodeError(f"代码 {code} 的{what}“{number}”不在统计用区划代码的编制规则之内")


def unit_division_kind(code: str) -> str:
    """Return a county-level unit's kind by digits 5–6: 01–20 市辖区, 21–70 县, 71–80 类似县级单位, 81–99 县级市."""
    ranges = ((1, 20, DivisionKind.DISTRICT), (21, 70, DivisionKind.COUNTY), (71, 80, DivisionKind.COUNTY_LIKE),
              (81, 99, DivisionKind.COUNTY_CITY))
    return _kind(int(code[4:6]), ranges, "县级码（第5–6位）", code)


def street_kind(code: str) -> str:
    """Return a town-level unit's kind by digits 7–9: 001–099 街道, 100–199 镇, 200–399 乡, 400–599 类似乡级单位."""
    ranges = ((1, 99, StreetKind.SUBDISTRICT), (100, 199, StreetKind.TOWN), (200, 399, StreetKind.TOWNSHIP),
              (400, 599, StreetKind.TOWNSHIP_LIKE))
    return _kind(int(code[6:9]), ranges, "乡级码（第7–9位）", code)


def community_kind(code: str) -> str:
    """Return a village-level unit's kind by digits 10–12: 001–199 居委会, 200–399 村委会, 400–499 类似居委会,
    500–599 类似村委会."""
    ranges = ((1, 199, CommunityKind.RESIDENTS), (200, 399, CommunityKind.VILLAGERS),
              (400, 499, CommunityKind.RESIDENTS_LIKE), (500, 599, CommunityKind.VILLAGERS_LIKE))
    return _kind(int(code[9:12]), ranges, "村级码（第10–12位）", code)


def split_code(raw: str) -> tuple[str, str]:
    """Return (level, short code) of a code in any of its forms: 37, 3701, 370102, 370102001, 370102001002,
    or padded with zeros to 6 or 12 digits (370100, 370102000000)."""
    if not raw.isdigit() or len(raw) not in (2, 4, 6, 9, 12):
        raise CodeError(f"代码“{raw}”应为2、4、6、9或12位数字")
    padded = raw.ljust(12, "0")
    nonzero = [int(padded[start:end]) != 0 for start, end in SEGMENTS]
    if not nonzero[0]:
        raise CodeError(f"代码“{raw}”的省级码为零")
    level = max(i for i, flag in enumerate(nonzero) if flag)
    if not all(nonzero[:level]):
        raise CodeError(f"代码“{raw}”的上级部分为零，不是统计用区划代码")
    return LEVELS[level], padded[:SEGMENTS[level][1]]


def register_code(level: str, short: str) -> str:
    """Return the code as the register stores it: a province 370000 and a city 370100 (6 digits), else as is."""
    return short.ljust(6, "0") if level in ("province", "city") else short


def parent_of(level: str, short: str) -> tuple[str, str] | None:
    """Return (level, register code) of a unit's parent by its code's prefix; None for a province."""
    index = LEVELS.index(level)
    if index == 0:
        return None
    parent_level = LEVELS[index - 1]
    return parent_level, register_code(parent_level, short[:LEVEL_DIGITS[parent_level]])


def own_fields(level: str, short: str, urban_rural: str | None) -> dict:
    """Return what the code says about a unit besides its place: its kind (and a village's urban-rural class)."""
    if level == "unit":
        return {"division_kind": unit_division_kind(short)}
    if level == "street":
        return {"kind": street_kind(short)}
    if level == "community":
        fields = {"kind": community_kind(short)}
        if urban_rural is not None:
            fields["urban_rural_code"] = urban_rural
        return fields
    return {}


@dataclass(frozen=True)
class Columns:
    code: int
    name: int
    urban_rural: int | None


def find_columns(table: Table) -> Columns:
    """Return where the code, name and urban-rural columns are, by header; other columns are ignored."""
    header = [cell.strip().lower() for cell in table.header]

    def column(candidates: tuple[str, ...], what: str, required: bool = True) -> int | None:
        found = [i for i, cell in enumerate(header) if cell in candidates]
        if len(found) > 1:
            names = "、".join(table.header[i] for i in found)
            raise TableError(f"第1行有多个{what}列（{names}），请只保留一个")
        if not found and required:
            wanted, present = " 或 ".join(candidates), "，".join(table.header)
            raise TableError(f"第1行找不到{what}列（列名应为 {wanted}；现有：{present}）")
        return found[0] if found else None

    return Columns(column(CODE_HEADERS, "代码"), column(NAME_HEADERS, "名称"),
                   column(URBAN_RURAL_HEADERS, "城乡分类代码", required=False))


@dataclass
class Parsed:
    listed: list[Listed]
    rows: int
    errors: list[tuple[str, int, str]]  # (file, row, message)


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def parse_row(cells: list[str], columns: Columns) -> tuple[Listed | None, str]:
    """Return one row's listing, or why it cannot be one (file and row are filled in by the caller)."""
    raw, name = _cell(cells, columns.code), _cell(cells, columns.name)
    if not raw:
        return None, "代码为空"
    try:
        level, short = split_code(raw)
        urban_rural = _cell(cells, columns.urban_rural) if columns.urban_rural is not None else None
        fields = own_fields(level, short, urban_rural)
    except CodeError as exc:
        return None, str(exc)
    if not name:
        return None, f"代码 {raw} 的名称为空"
    if len(name) > NAME_MAX:
        return None, f"名称超过{NAME_MAX}个字"
    if urban_rural and urban_rural not in URBAN_RURAL_CODES:
        return None, f"城乡分类代码“{urban_rural}”未知（应为 {'、'.join(URBAN_RURAL_CODES)}）"
    parent = parent_of(level, short)
    return Listed(level=level, code=register_code(level, short), name=name,
                  parent=parent[1] if parent else "", fields=fields), ""


def parse_files(files: list[tuple[str, bytes]]) -> Parsed:
    """Read every file and row; a code listed twice must have the same name (and urban-rural code) both times."""
    parsed = Parsed([], 0, [])
    seen: dict[tuple[str, str], Listed] = {}
    for filename, content in files:
        try:
            tables = read_tables(content, filename)
            found = [(table, find_columns(table)) for table in tables]
        except TableError as exc:
            parsed.errors.append((filename, 1, str(exc)))
            continue
        for table, columns in found:
            for number, cells in table.rows:
                parsed.rows += 1
                listed, problem = parse_row(cells, columns)
                if listed is None:
                    parsed.errors.append((table.name, number, problem))
                    continue
                listed.file, listed.row = table.name, number
                first = seen.setdefault((listed.level, listed.code), listed)
                if first is not listed:
                    if clash := _clash(first, listed):
                        parsed.errors.append((table.name, number, clash))
                    continue
                parsed.listed.append(listed)
    return parsed


def _clash(first: Listed, again: Listed) -> str:
    """Say how a unit listed a second time differs from its first listing ("" when it does not)."""
    where = f"{first.file} 第{first.row}行"
    if first.name != again.name:
        return f"{LEVEL_NAMES[again.level]}代码 {again.code} 在 {where} 名为“{first.name}”，此处为“{again.name}”"
    mine, theirs = again.fields.get("urban_rural_code"), first.fields.get("urban_rural_code")
    if mine is not None and theirs is not None and mine != theirs:
        return f"代码 {again.code} 的城乡分类代码在 {where} 为“{theirs}”，此处为“{mine}”"
    return ""


def parse_moves(content: bytes, filename: str) -> tuple[list[tuple[int, str, str, str]], list[tuple[str, int, str]]]:
    """Read a moves file (CSV `old_code,new_code`): return (row, level, old code, new code) as the register stores
    them, and the errors."""
    table = read_tables(content, filename)[0]
    header = [cell.strip().lower() for cell in table.header]
    rows = table.rows
    if all(cell.isdigit() for cell in header[:2]) and len(header) >= 2:
        rows = [(1, table.header), *rows]  # no header row: the first row is a move too
        old, new = 0, 1
    else:
        try:
            old = next(i for i, c in enumerate(header) if c in ("old_code", "原代码"))
            new = next(i for i, c in enumerate(header) if c in ("new_code", "新代码"))
        except StopIteration:
            raise TableError("第1行应为列名 old_code,new_code") from None
    moves, errors = [], []
    for number, cells in rows:
        pair = [_cell(cells, old), _cell(cells, new)]
        try:
            (old_level, old_short), (new_level, new_short) = (split_code(code) for code in pair)
        except CodeError as exc:
            errors.append((table.name, number, str(exc)))
            continue
        if old_level != new_level:
            errors.append((table.name, number, f"原代码 {pair[0]} 与新代码 {pair[1]} 不是同一级"))
            continue
        moves.append((number, old_level, register_code(old_level, old_short), register_code(new_level, new_short)))
    return moves, errors
