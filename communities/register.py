"""Community register import (the old format of interfaces.md "Community register import"): read the file, validate
every row, and hand the listing to the one register write path (register_plan, register_write)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from smartsite.import_report import RowError

from . import policy
from .actions import CommunityAction
from .models import StreetKind, UnitKind
from .register_plan import Listed, plan_register
from .register_report import RegisterReport
from .register_write import register_write
from .tables import Table, TableError, read_table

COLUMNS = (
    "city_code", "city_name", "unit_code", "unit_name", "unit_kind",
    "street_code", "street_name", "street_kind", "community_code", "community_name", "households",
)
REQUIRED = COLUMNS[:-1]
# The file as a whole cannot be read (format, encoding, missing columns).
RegisterFileError = TableError


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


def _digits(value: str, n: int) -> bool:
    return bool(re.fullmatch(rf"\d{{{n}}}", value))


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


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


def validate(table: Table) -> tuple[list[RegisterRow], list[RowError]]:
    """Validate every row; return the good rows and every problem with its Excel row number."""
    headers = [_cell(h) for h in table.header]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        raise RegisterFileError(f"缺少列：{', '.join(missing)}（第1行应为列名）")
    rows, errors = [], []
    for index, values in table.rows:
        record = dict(zip(headers, values, strict=False))
        row, problems = parse_row(index, record)
        errors.extend(RowError(index, p) for p in problems)
        if row:
            rows.append(row)
    errors.extend(_check_consistency(rows))
    errors.sort(key=lambda e: e.row)
    return rows, errors


def listing(rows: list[RegisterRow], filename: str) -> list[Listed]:
    """Return the units the rows name, each once (the first row naming it), as the write path takes them."""
    units: dict[tuple[str, str], Listed] = {}
    for r in rows:
        for item in (
            Listed("city", r.city_code, r.city_name, r.city_code[:2] + "0000", {}),
            Listed("unit", r.unit_code, r.unit_name, r.city_code, {"kind": r.unit_kind}),
            Listed("street", r.street_code, r.street_name, r.unit_code, {"kind": r.street_kind}),
            Listed("community", r.community_code, r.community_name, r.street_code, {"households": r.households}),
        ):
            item.file, item.row = filename, r.row
            units.setdefault(item.key, item)
    return list(units.values())


def import_register(content: bytes, filename: str, *, actor, dry_run: bool = False) -> RegisterReport:
    """Import the register atomically: nothing is written unless every row is valid.

    `actor` is who imports: a user in the admin, or the system actor of the `import_communities` command; the
    import is logged once, on the province, with what it created and updated.
    """
    policy.require(actor, CommunityAction.EDIT_REGISTER)
    rows, errors = validate(read_table(content, filename))
    report = RegisterReport(rows=len(rows) + len({e.row for e in errors}), errors=errors, dry_run=dry_run)
    if errors:
        return report
    plan = plan_register(listing(rows, filename), add_provinces=True)
    report.errors += [RowError(row, message) for _, row, message in plan.errors]
    report.sort_errors()
    if not report.ok:
        return report
    report.count(plan)
    if not dry_run:
        register_write(plan=plan, actor=actor, data={
            "file": filename, "rows": report.rows, "created": report.created, "updated": report.updated,
        })
    return report
