"""人员名册导入: create or update people and their roles from a roster file, atomically, every bad row named.

Each row is checked on its own (people.rows), then against the register and the policy: the row's region must
exist, suit the role (communities.roles.assignment_problems) and be within the importer's reach
(CommunityAction.ASSIGN_ROLES, asked of that region: the question the roles service asks again when it writes);
a person already on record may be changed only by someone whose reach covers every role they hold. Nothing is
written unless every row passes; a dry run reports exactly what a real run would do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from audit.actors import log
from communities import policy
from communities.actions import CommunityAction
from communities.models import Assignment, ProvincePage, Role
from communities.policy import EVERYWHERE
from communities.roles import PERSON_ROLES, assignment_create, assignment_delete, assignment_problems

from .actions import PeopleAction
from .models import Person
from .reach import is_self, out_of_reach
from .reading import read_table
from .regions import described, regions_by_code, short_code
from .rows import RosterRow, RowError, parse_table

IMPORTED = "people.roster_imported"


@dataclass
class PersonPlan:
    """What the import does to one person (one phone number), from all of their rows."""

    phone: str
    name: str
    organisation: str
    leaving: bool
    first_row: int
    user: object | None = None  # the existing account, None when it is created
    grants: list[tuple[str, Page]] = field(default_factory=list)  # (role, region) to give
    ends: list[Assignment] = field(default_factory=list)  # region roles to end
    person_grants: list[str] = field(default_factory=list)  # roles over no region (评估专家) to give
    person_ends: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # what changes on the account itself

    @property
    def outcome(self) -> str:
        if self.user is None:
            return "created"
        if self.leaving:
            return "deactivated" if self.changes or self.ends or self.person_ends else "unchanged"
        return "updated" if self.changes or self.grants or self.ends or self.person_grants else "unchanged"


@dataclass(frozen=True)
class PersonLine:
    name: str
    phone: str
    roles: tuple[str, ...]  # "社区工作人员 · 某社区（370102001001）"


@dataclass
class RosterReport:
    file: str
    rows: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    created: list[PersonLine] = field(default_factory=list)
    updated: list[PersonLine] = field(default_factory=list)
    deactivated: list[PersonLine] = field(default_factory=list)
    unchanged: int = 0
    roles_granted: int = 0
    roles_ended: int = 0
    regions: list[Page] = field(default_factory=list)  # where new roles were given: the sheets to print

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        text = _("共%(rows)s行；新增人员 %(created)s，更新 %(updated)s，离岗 %(left)s，未变 %(same)s；"
                 "分配角色 %(granted)s，结束角色 %(ended)s") % {
            "rows": self.rows, "created": len(self.created), "updated": len(self.updated),
            "left": len(self.deactivated), "same": self.unchanged, "granted": self.roles_granted,
            "ended": self.roles_ended}
        return text + (_("（试运行，未写入）") if self.dry_run else "")


def _untouchable(by, user, assignments: list[Assignment], person: Person | None, leaving: bool) -> str | None:
    """Return why `by` may not change this existing account, or None."""
    if leaving and is_self(by, user):
        return _("不能将自己标记为离岗")
    return out_of_reach(by, CommunityAction.ASSIGN_ROLES, user, assignments, person)


def _row_problem(by, row: RosterRow, regions: dict[str, Page]) -> tuple[Page | None, str | None]:
    """Check a 在岗 row against the register and the importer's reach; return its region or the problem."""
    if row.person_role:
        if not policy.may(by, PeopleAction.ROSTER_EXPERTS, EVERYWHERE):
            return None, str(policy.refusal(PeopleAction.ROSTER_EXPERTS))
        return None, None
    region = regions.get(short_code(row.scope_code))
    if region is None:
        return None, _("范围代码 %(code)s 未找到：社区名册中没有这个社区、街道、区县或设区市") % {
            "code": row.scope_code}
    if region.retired_at is not None:
        return None, _("范围代码 %(region)s 已撤销") % {"region": described(region)}
    if problems := assignment_problems(row.region_role, region):
        return None, _("范围代码 %(region)s：%(problem)s") % {"region": described(region),
                                                          "problem": "；".join(problems.values())}
    if not policy.may(by, CommunityAction.ASSIGN_ROLES, region):
        return None, _("范围代码 %(region)s 超出您的管辖范围") % {"region": described(region)}
    return region, None


def _existing(phones: set[str]):
    """Return the accounts, their assignments and roster records for these phone numbers, by phone."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=phones).prefetch_related("groups")}
    assignments: dict[int, list[Assignment]] = {}
    for a in Assignment.objects.filter(user__in=users.values()).select_related("region").order_by("pk"):
        assignments.setdefault(a.user_id, []).append(a)
    persons = {p.user_id: p for p in Person.objects.filter(user__in=users.values())}
    return users, assignments, persons


def plan_roster(by, rows: list[RosterRow], file: str) -> tuple[list[PersonPlan], list[RowError]]:
    """Work out, person by person, what the rows ask; every row the importer may not do is an error."""
    regions = regions_by_code({short_code(r.scope_code) for r in rows if r.scope_code})
    users, assignments, persons = _existing({r.phone for r in rows})
    plans: dict[str, PersonPlan] = {}
    errors: list[RowError] = []
    wanted: dict[str, set[tuple[str, int]]] = {}
    for row in rows:
        plan = plans.get(row.phone)
        if plan is None:
            plan = plans[row.phone] = PersonPlan(row.phone, row.name, row.organisation, row.leaving, row.row,
                                                 users.get(row.phone))
            if plan.user is None and row.leaving:
                errors.append(RowError(file, row.row, _("手机号 %(phone)s 没有账号，无法办理离岗") % {
                    "phone": row.phone}))
            elif plan.user is not None:
                person = persons.get(plan.user.pk)
                why = _untouchable(by, plan.user, assignments.get(plan.user.pk, []), person, row.leaving)
                if why:
                    errors.append(RowError(file, row.row, _("手机号 %(phone)s：%(why)s") % {
                        "phone": row.phone, "why": why}))
        plan.organisation = plan.organisation or row.organisation
        if row.leaving:
            continue
        region, problem = _row_problem(by, row, regions)
        if problem:
            errors.append(RowError(file, row.row, problem))
        elif region is not None:
            key = (str(row.region_role), region.pk)
            if key not in wanted.setdefault(row.phone, set()):
                wanted[row.phone].add(key)
                plan.grants.append((str(row.region_role), region))
        elif row.role_label not in plan.person_grants:
            plan.person_grants.append(row.role_label)
    for plan in plans.values():
        _complete(plan, assignments.get(plan.user.pk, []) if plan.user else [],
                  persons.get(plan.user.pk) if plan.user else None, wanted.get(plan.phone, set()))
        if plan.user is not None and plan.ends and not plan.leaving and is_self(by, plan.user):
            # An importer listing themselves must not drop their own roles by leaving a row out.
            message = _("手机号 %(phone)s：这是您本人的账号，名册不能结束您自己的角色") % {"phone": plan.phone}
            errors.append(RowError(file, plan.first_row, message))
    return list(plans.values()), sorted(errors, key=lambda e: e.row)


def _complete(plan: PersonPlan, held: list[Assignment], person: Person | None, wanted: set) -> None:
    """Compare what the rows ask with what the person holds: roles to give and end, account changes."""
    held_roles = list(person.person_roles) if person else []
    if plan.user is None:
        return
    if plan.leaving:
        plan.ends = held
        plan.person_ends = held_roles
        plan.changes = [_("停用账号")] if plan.user.is_active else []
        return
    have = {(a.role, a.region_id) for a in held}
    plan.grants = [(role, region) for role, region in plan.grants if (role, region.pk) not in have]
    # The person's region rows are their region roles: one the file no longer lists is ended (a move elsewhere).
    plan.ends = [a for a in held if (a.role, a.region_id) not in wanted] if wanted else []
    plan.person_grants = [label for label in plan.person_grants if label not in held_roles]
    if plan.user.first_name != plan.name:
        plan.changes.append(_("姓名"))
    if plan.organisation and (person is None or person.organisation != plan.organisation):
        plan.changes.append(_("工作单位"))
    if not plan.user.is_active:
        plan.changes.append(_("恢复在岗"))


def _line(plan: PersonPlan) -> PersonLine:
    roles = [f"{Role(role).label} · {described(region)}" for role, region in plan.grants]
    roles += [_("结束：%(role)s · %(region)s") % {"role": Role(a.role).label, "region": described(a.region.specific)}
              for a in plan.ends]
    roles += list(plan.person_grants) + [_("结束：%(role)s") % {"role": label} for label in plan.person_ends]
    return PersonLine(plan.name, plan.phone, tuple(roles))


def _report(report: RosterReport, plans: list[PersonPlan]) -> None:
    regions: dict[int, Page] = {}
    for plan in plans:
        outcome = plan.outcome
        if outcome == "unchanged":
            report.unchanged += 1
            continue
        {"created": report.created, "updated": report.updated, "deactivated": report.deactivated}[outcome].append(
            _line(plan))
        report.roles_granted += len(plan.grants) + len(plan.person_grants)
        report.roles_ended += len(plan.ends) + len(plan.person_ends)
        regions.update((region.pk, region) for _role, region in plan.grants)
    report.regions = sorted(regions.values(), key=lambda region: region.code)


def _apply(by, plan: PersonPlan) -> None:
    user = plan.user
    if user is None:
        # No usable password: the owner sets one through an activation link (people.activation).
        user = get_user_model().objects.create_user(username=plan.phone, first_name=plan.name)
        person = Person.objects.create(user=user, organisation=plan.organisation)
    else:
        if plan.changes:
            user.first_name, user.is_active = plan.name, not plan.leaving
            user.save(update_fields=["first_name", "is_active"])
        person, _created = Person.objects.get_or_create(user=user)
    for role, region in plan.grants:
        assignment_create(by=by, user=user, role=role, region=region)
    for assignment in plan.ends:
        assignment_delete(by=by, assignment=assignment)
    for label in plan.person_grants:
        PERSON_ROLES[label].grant(by=by, user=user, name=plan.name, organisation=plan.organisation)
    for label in plan.person_ends:
        if label in PERSON_ROLES:
            PERSON_ROLES[label].end(by=by, user=user)
    if plan.user is None and not plan.person_grants:
        return
    person.organisation = plan.organisation or person.organisation
    person.person_roles = [] if plan.leaving else [*person.person_roles, *plan.person_grants]
    person.left_at = timezone.now() if plan.leaving else None
    person.save()


def _logged(report: RosterReport) -> dict:
    def people(lines):
        return [{"name": line.name, "phone": line.phone, "roles": list(line.roles)} for line in lines]

    return {"file": report.file, "rows": report.rows, "created": people(report.created),
            "updated": people(report.updated), "deactivated": people(report.deactivated),
            "roles_granted": report.roles_granted, "roles_ended": report.roles_ended}


def roster_import(*, by, content: bytes, filename: str, dry_run: bool = False) -> RosterReport:
    """Import a roster file as `by` (a bureau or administrator in the admin, or an operator's command).

    Raises RosterFileError or HeaderError when the file cannot be read at all; otherwise returns the report,
    whose errors name every bad row (then nothing was written).
    """
    policy.require(by, CommunityAction.ASSIGN_ROLES)
    rows, errors = parse_table(read_table(content, filename), filename)
    report = RosterReport(file=filename, dry_run=dry_run)
    plans, problems = plan_roster(by, rows, filename)
    report.errors = sorted(errors + problems, key=lambda e: e.row)
    report.rows = len({r.row for r in rows} | {e.row for e in errors})
    if report.errors:
        return report
    _report(report, plans)
    if dry_run:
        return report
    changing = [plan for plan in plans if plan.outcome != "unchanged"]
    if not changing:
        return report
    with transaction.atomic():
        for plan in changing:
            _apply(by, plan)
        log(_trail_subject(changing), IMPORTED, actor=by, data=_logged(report))
    return report


def _trail_subject(plans: list[PersonPlan]):
    """The import is one entry on the province's trail (or, without a register, on the first person's account)."""
    province = ProvincePage.objects.order_by("pk").first()
    if province is not None:
        return province
    return get_user_model().objects.get(username=plans[0].phone)
