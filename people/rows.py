"""The roster's columns and rows, checked on their own (no database): header, each cell, and rows that disagree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from communities.models import ROLE_GROUPS, Role
from communities.roles import PERSON_ROLES

from .reading import Table

NAME, PHONE, ROLE, SCOPE, ORGANISATION, STATUS = "姓名", "手机号", "角色", "范围代码", "工作单位", "状态"
COLUMNS = (NAME, PHONE, ROLE, SCOPE, ORGANISATION, STATUS)
REQUIRED = (NAME, PHONE, ROLE, SCOPE)
ON_DUTY, LEFT = "在岗", "离岗"
# Chinese mainland mobile numbers: 11 digits starting 13–19.
PHONE_PATTERN = re.compile(r"1[3-9]\d{9}")
CODE_PATTERN = re.compile(r"\d{6}|\d{9}|\d{12}")
# The role as the roster file names it: the Chinese of the contract, never the reader's language.
REGION_ROLES = {name: role for role, name in ROLE_GROUPS.items()}


class HeaderError(ValueError):
    """The header row is wrong: nothing else is read."""


@dataclass(frozen=True)
class RowError:
    file: str
    row: int
    message: str

    def __str__(self) -> str:
        return _("%(file)s 第%(row)s行：%(message)s") % {"file": self.file, "row": self.row, "message": self.message}


@dataclass(frozen=True)
class RosterRow:
    row: int
    name: str
    phone: str
    role_label: str  # as written ("" on a 离岗 row that names no role)
    scope_code: str  # as written (short or 12-digit; "" for roles over no region)
    organisation: str
    leaving: bool

    @property
    def region_role(self) -> Role | None:
        return REGION_ROLES.get(self.role_label)

    @property
    def person_role(self) -> bool:
        return self.role_label in PERSON_ROLES


def role_labels() -> list[str]:
    """Return the roles a roster may name: the three region roles, then those registered by other apps."""
    return [*REGION_ROLES, *PERSON_ROLES]


def check_header(headers: list[str]) -> None:
    """Raise HeaderError naming every unknown, repeated or missing column."""
    problems = []
    unknown = [h for h in headers if h and h not in COLUMNS]
    if unknown:
        problems.append(_("未知列：%(names)s（可用的列：%(columns)s）") % {
            "names": "、".join(unknown), "columns": "、".join(COLUMNS)})
    repeated = sorted({h for h in headers if h and headers.count(h) > 1})
    if repeated:
        problems.append(_("列名重复：%(names)s") % {"names": "、".join(repeated)})
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        problems.append(_("缺少列：%(names)s（第1行应为列名）") % {"names": "、".join(missing)})
    if problems:
        raise HeaderError("；".join(problems))


def parse_row(number: int, record: dict[str, str]) -> tuple[RosterRow | None, list[str]]:
    """Check one row's cells; return the row, or the list of what is wrong with it."""
    name, phone, label = record.get(NAME, ""), record.get(PHONE, ""), record.get(ROLE, "")
    code, organisation, status = record.get(SCOPE, ""), record.get(ORGANISATION, ""), record.get(STATUS, "")
    problems = []
    if not name:
        problems.append(_("姓名不能为空"))
    elif len(name) > 150:
        problems.append(_("姓名过长（最多150字）"))
    if not PHONE_PATTERN.fullmatch(phone):
        problems.append(_("手机号“%(phone)s”格式不正确：应为11位手机号码") % {"phone": phone})
    if status not in ("", ON_DUTY, LEFT):
        problems.append(_("状态“%(status)s”未知：应为“在岗”或“离岗”（留空为在岗）") % {"status": status})
    leaving = status == LEFT
    if label and label not in role_labels():
        problems.append(_("角色“%(label)s”未知：应为 %(labels)s") % {
            "label": label, "labels": "、".join(role_labels())})
    elif not label and not leaving:
        problems.append(_("角色不能为空"))
    if code and not CODE_PATTERN.fullmatch(code):
        problems.append(_("范围代码“%(code)s”格式不正确：应为6、9或12位数字") % {"code": code})
    elif label in PERSON_ROLES and code:
        problems.append(_("%(label)s不按辖区分配，范围代码应留空") % {"label": label})
    elif label in REGION_ROLES and not code and not leaving:
        problems.append(_("范围代码不能为空：%(label)s须填写所负责的社区、街道、区县或设区市代码") % {"label": label})
    if len(organisation) > 200:
        problems.append(_("工作单位过长（最多200字）"))
    if problems:
        return None, problems
    return RosterRow(number, name, phone, label, code, organisation, leaving), []


def _disagreements(rows: list[RosterRow], file: str) -> list[RowError]:
    """Rows of one phone number that give it two names, two work units or both 在岗 and 离岗."""
    errors, first = [], {}
    for r in rows:
        earlier = first.setdefault(r.phone, r)
        if earlier is r:
            continue
        if r.name != earlier.name:
            message = _("手机号 %(phone)s 在第%(row)s行的姓名为“%(a)s”，本行为“%(b)s”：同一手机号只能对应一人")
            errors.append(RowError(file, r.row, message % {
                "phone": r.phone, "row": earlier.row, "a": earlier.name, "b": r.name}))
        if r.organisation and earlier.organisation and r.organisation != earlier.organisation:
            errors.append(RowError(file, r.row, _("手机号 %(phone)s 的工作单位与第%(row)s行不一致")
                                   % {"phone": r.phone, "row": earlier.row}))
        if r.leaving != earlier.leaving:
            errors.append(RowError(file, r.row, _("手机号 %(phone)s 在第%(row)s行与本行的状态不同（在岗/离岗）")
                                   % {"phone": r.phone, "row": earlier.row}))
    return errors


def parse_table(table: Table, file: str) -> tuple[list[RosterRow], list[RowError]]:
    """Check the header, then every row; return the good rows and every problem with its row number."""
    check_header(table.headers)
    rows, errors = [], []
    for number, values in table.rows:
        record = dict(zip(table.headers, values, strict=False))
        row, problems = parse_row(number, record)
        errors += [RowError(file, number, p) for p in problems]
        if row:
            rows.append(row)
    errors += _disagreements(rows, file)
    return rows, errors
