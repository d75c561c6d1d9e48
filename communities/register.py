"""Community register import: read CSV (UTF-8, BOM, GBK/GB18030) or XLSX, validate every row, apply atomically."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tablib
from django.db import transaction

from audit.actors import log
from intake import spreadsheets

from . import policy
from .actions import CommunityAction
from .models import CityPage, CommunityPage, StreetKind, StreetPage, UnitKind, UnitPage
from .tree import province_for, upsert_child

COLUMNS = (
    "city_code", "city_name", "unit_code", "unit_name", "unit_kind",
    "street_code", "street_name", "street_kind", "community_code", "community_name", "households",
)
REQUIRED = COLUMNS[:-1]


class RegisterFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行：{self.message}"


@dataclass
class RegisterRow:
    row: int
    city_code: str
    city_name: str
    unit_code: str
    unit_name: str
    unit_kind: str
    street_code: str
    street_name: str
    street_kind: str
    community_code: str
    community_name: str
    households: int | None


@dataclass
class ImportReport:
    rows: int = 0
    created: dict[str, int] = field(default_factory=lambda: {"city": 0, "unit": 0, "street": 0, "community": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"city": 0, "unit": 0, "street": 0, "community": 0})
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        c, u = self.created, self.updated
        return (
            f"共{self.rows}行；新增 市{c['city']} 区县{c['unit']} 街道/乡镇{c['street']} 社区{c['community']}；"
            f"更新 市{u['city']} 区县{u['unit']} 街道/乡镇{u['street']} 社区{u['community']}"
            + ("（试运行，未写入）" if self.dry_run else "")
        )


def read_dataset(content: bytes, filename: str) -> spreadsheets.Table:
    """Read the upload through the bounded spreadsheet intake (XLSX by content, or CSV in UTF-8/BOM/GBK/GB18030)."""
    try:
        return spreadsheets.read_table(content, filename)
    except spreadsheets.SpreadsheetError as exc:
        raise RegisterFileError(exc.message) from exc


def _digits(value: str, n: int) -> bool:
    return bool(re.fullmatch(rf"\d{{{n}}}", value))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores typed numbers as floats: 370102001001.0
    return str(value).strip()


def parse_row(number: int, record: dict) -> tuple[RegisterRow | None, list[str]]:
    """Validate one row on its own; return the row or the list of its problems."""
    v = {name: _cell(record.get(name)) for name in COLUMNS}
    problems = [f"{name} 不能为空" for name in REQUIRED if not v[name]]
    for name, n in (("city_code", 6), ("unit_code", 6), ("street_code", 9), ("community_code", 12)):
        if v[name] and not _digits(v[name], n):
            problems.append(f"{name} 必须是{n}位数字（现为“{v[name]}”）")
    if v["unit_kind"] and v["unit_kind"] not in UnitKind.values:
        problems.append(f"unit_kind 未知：“{v['unit_kind']}”（应为 {', '.join(UnitKind.values)}）")
    if v["street_kind"] and v["street_kind"] not in StreetKind.values:
        problems.append(f"street_kind 未知：“{v['street_kind']}”（应为 {', '.join(StreetKind.values)}）")
    if _digits(v["unit_code"], 6) and _digits(v["city_code"], 6) and v["unit_code"][:4] != v["city_code"][:4]:
        problems.append(f"区县代码 {v['unit_code']} 不属于设区市 {v['city_code']}")
    if _digits(v["street_code"], 9) and _digits(v["unit_code"], 6) and not v["street_code"].startswith(v["unit_code"]):
        problems.append(f"街道/乡镇代码 {v['street_code']} 不以区县代码 {v['unit_code']} 开头")
    if (
        _digits(v["community_code"], 12)
        and _digits(v["street_code"], 9)
        and not v["community_code"].startswith(v["street_code"])
    ):
        problems.append(f"社区代码 {v['community_code']} 不以街道/乡镇代码 {v['street_code']} 开头")
    households = None
    if v["households"]:
        if re.fullmatch(r"\d+", v["households"]):
            households = int(v["households"])
        else:
            problems.append(f"households 必须是非负整数（现为“{v['households']}”）")
    if problems:
        return None, problems
    return RegisterRow(number, **{**v, "households": households}), []


def _check_consistency(rows: list[RegisterRow]) -> list[RowError]:
    """Find duplicates in the file and parents described two different ways."""
    errors: list[RowError] = []
    seen_community: dict[str, int] = {}
    seen: dict[tuple[str, str], tuple[int, tuple]] = {}
    for r in rows:
        if r.community_code in seen_community:
            errors.append(RowError(r.row, f"社区代码 {r.community_code} 与第{seen_community[r.community_code]}行重复"))
        else:
            seen_community[r.community_code] = r.row
        for level, code, described in (
            ("设区市", r.city_code, (r.city_name,)),
            ("区县", r.unit_code, (r.unit_name, r.unit_kind, r.city_code)),
            ("街道/乡镇", r.street_code, (r.street_name, r.street_kind, r.unit_code)),
        ):
            first = seen.setdefault((level, code), (r.row, described))
            if first[1] != described:
                errors.append(RowError(r.row, f"{level} {code} 的名称、类型或上级与第{first[0]}行不一致"))
    return errors


def validate(dataset: tablib.Dataset) -> tuple[list[RegisterRow], list[RowError]]:
    """Validate every row; return the good rows and every problem with its Excel row number."""
    headers = [_cell(h) for h in (dataset.headers or [])]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        raise RegisterFileError(f"缺少列：{', '.join(missing)}（第1行应为列名）")
    rows, errors = [], []
    for index, values in enumerate(dataset, start=2):
        record = dict(zip(headers, values, strict=False))
        if not any(_cell(x) for x in values):
            continue
        row, problems = parse_row(index, record)
        errors.extend(RowError(index, p) for p in problems)
        if row:
            rows.append(row)
    errors.extend(_check_consistency(rows))
    errors.sort(key=lambda e: e.row)
    return rows, errors


def _apply(rows: list[RegisterRow], report: ImportReport) -> None:
    cache: dict[tuple[type, str], object] = {}

    def upsert(level: str, parent, model, code, **fields):
        key = (model, code)
        if key not in cache:
            page, outcome = upsert_child(parent, model, code, **fields)
            if outcome == "created":
                report.created[level] += 1
            elif outcome == "updated":
                report.updated[level] += 1
            cache[key] = page
        return cache[key]

    provinces: dict[str, object] = {}
    for r in rows:
        province = provinces.get(r.city_code[:2]) or provinces.setdefault(r.city_code[:2], province_for(r.city_code))
        city = upsert("city", province, CityPage, r.city_code, title=r.city_name)
        unit = upsert("unit", city, UnitPage, r.unit_code, title=r.unit_name, kind=r.unit_kind, city=city)
        street = upsert("street", unit, StreetPage, r.street_code, title=r.street_name, kind=r.street_kind, unit=unit)
        upsert(
            "community", street, CommunityPage, r.community_code,
            title=r.community_name, households=r.households, street=street, unit=unit, city=city,
        )


REGISTER_IMPORTED = "communities.register_imported"
LOG_ACTIONS = {REGISTER_IMPORTED: "导入社区名册"}


def import_register(content: bytes, filename: str, *, actor, dry_run: bool = False) -> ImportReport:
    """Import the register atomically: nothing is written unless every row is valid.

    `actor` is who imports: a user in the admin, or the system actor of the `import_communities` command; the
    import is logged on the province with what it created and updated.
    """
    policy.require(actor, CommunityAction.EDIT_REGISTER)
    rows, errors = validate(read_dataset(content, filename))
    report = ImportReport(rows=len(rows) + len({e.row for e in errors}), errors=errors, dry_run=dry_run)
    if errors or dry_run:
        return report
    with transaction.atomic():
        _apply(rows, report)
        province = province_for(rows[0].city_code) if rows else None
        if province is not None:
            log(province, REGISTER_IMPORTED, actor=actor, data={
                "file": filename, "rows": report.rows, "created": report.created, "updated": report.updated,
            })
    return report
