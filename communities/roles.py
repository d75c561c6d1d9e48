"""Role groups and assignments: the only place that grants a user a role over a region.

Roles are Django groups (so Wagtail's admin lets verifiers and bureaus in) and Assignments (user, role,
region) give the scope; `communities.policy` reads both. Each app grants its role groups the Django
permissions its screens need through `grant()`, called from its AppConfig.ready(); `ensure_role_groups`
(run after every migrate) applies them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import GroupPagePermission, Page

from audit.actors import log

from . import policy
from .actions import CommunityAction
from .models import ADMIN_GROUP, COUNTY_KINDS, ROLE_GROUPS, ROLE_REGION_MODELS, Assignment, Role, UnitPage
from .selectors import forget_scope

ADMIN = "admin"
ASSIGNED, UNASSIGNED = "communities.role_assigned", "communities.role_unassigned"
REASSIGNED = "communities.role_changed"
LOG_ACTIONS = {ASSIGNED: gettext_lazy("分配角色"), UNASSIGNED: gettext_lazy("取消角色"),
               REASSIGNED: gettext_lazy("修改角色分配")}

# role (or ADMIN) -> "app_label.codename" permissions its group carries; filled by each app's ready().
_GRANTS: dict[str, set[str]] = defaultdict(set)


def grant(role: str, *permissions: str) -> None:
    """Give a role's group (Role value, or ADMIN for 管理员) these Django permissions at the next migrate."""
    _GRANTS[role].update(permissions)


def _permissions(names: set[str]) -> list[Permission]:
    perms = []
    for name in sorted(names):
        app_label, codename = name.split(".")
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm:
            perms.append(perm)
    return perms


def ensure_role_groups() -> dict[str, Group]:
    """Create the role groups with the permissions the apps granted (idempotent; run after every migrate)."""
    groups = {}
    for role, name in [*ROLE_GROUPS.items(), (ADMIN, ADMIN_GROUP)]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(_GRANTS[role]))
        groups[role] = group
    # Administrators keep the register: Wagtail's page explorer asks its own page permissions for that.
    root = Page.get_first_root_node()
    if root is not None:
        for codename in ("add_page", "change_page", "publish_page"):
            permission = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
            if permission:
                GroupPagePermission.objects.get_or_create(group=groups[ADMIN], page=root, permission=permission)
    return groups


def assignment_problems(role: str, region: Page | None) -> dict[str, str]:
    """Return what is wrong with giving `role` over `region`, by field (empty when nothing)."""
    if not role or role not in Role.values:
        return {"role": _("请选择角色")}
    if region is None:
        return {"region": _("请选择辖区")}
    allowed = ROLE_REGION_MODELS[Role(role)]
    if region.specific_class is None or region.specific_class._meta.model_name not in allowed:
        levels = _("、").join(str(apps.get_model("communities", n)._meta.verbose_name) for n in allowed)
        return {"region": _("%(role)s只能分配到：%(levels)s") % {"role": Role(role).label, "levels": levels}}
    if role == Role.BUREAU and isinstance(region.specific, UnitPage) and region.specific.kind not in COUNTY_KINDS:
        # A main urban district is assessed within its city: its big-data work is the city bureau's.
        return {"region": _("大数据局只能分配到设区市、省，或按县评价的县（市、区）；主城区由设区市大数据局负责")}
    return {}


def _described(assignment: Assignment) -> dict:
    # The log keeps the role's Chinese name whatever language the person acting reads: a record does not change.
    with translation.override(settings.LANGUAGE_CODE):
        role_label = str(Role(assignment.role).label)
    return {"user": assignment.user.get_username(), "role": assignment.role, "role_label": role_label,
            "region": assignment.region.title, "region_id": assignment.region_id}


def _sync_group(user, role: str) -> None:
    """Keep the user in the role's group exactly while they hold that role somewhere."""
    group = Group.objects.get_or_create(name=ROLE_GROUPS[Role(role)])[0]
    if Assignment.objects.filter(user=user, role=role).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)
    forget_scope(user)


@transaction.atomic
def assignment_create(*, by, user, role: str, region: Page) -> Assignment:
    """Give `user` the role over `region` and put them in the role's group; logged as done by `by` (a user, or
    the system actor of an operator's command)."""
    if problems := assignment_problems(role, region):
        raise ValidationError(problems)
    policy.require(by, CommunityAction.ASSIGN_ROLES, region)
    assignment, created = Assignment.objects.get_or_create(user=user, role=role, region=region)
    _sync_group(user, role)
    if created:
        log(assignment, ASSIGNED, actor=by, data=_described(assignment))
    return assignment


@transaction.atomic
def assignment_update(*, by, assignment: Assignment, user, role: str, region: Page) -> Assignment:
    """Change who holds an assignment, the role or the region; logged with what it was before."""
    if problems := assignment_problems(role, region):
        raise ValidationError(problems)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    # Both where the role was and where it goes must be within the actor's reach.
    policy.require(by, CommunityAction.ASSIGN_ROLES, assignment.region)
    policy.require(by, CommunityAction.ASSIGN_ROLES, region)
    before = _described(assignment)
    old_user, old_role = assignment.user, assignment.role
    if Assignment.objects.filter(user=user, role=role, region=region).exclude(pk=assignment.pk).exists():
        raise ValidationError({"region": _("该用户已有这一角色分配")})
    assignment.user, assignment.role, assignment.region = user, role, region
    assignment.save()
    _sync_group(old_user, old_role)
    _sync_group(user, role)
    log(assignment, REASSIGNED, actor=by, data={"before": before, "after": _described(assignment)})
    return assignment


@transaction.atomic
def assignment_delete(*, by, assignment: Assignment) -> None:
    """Take the role away; the user leaves the role's group once they hold it nowhere else."""
    policy.require(by, CommunityAction.ASSIGN_ROLES, assignment.region)
    described = _described(assignment)
    log(assignment, UNASSIGNED, actor=by, data=described)
    user, role = assignment.user, assignment.role
    assignment.delete()
    _sync_group(user, role)


def assign(user, role: str, region: Page, *, by) -> Assignment:
    """Give `user` the role over `region`: the short form for commands, demo data and tests."""
    return assignment_create(by=by, user=user, role=role, region=region)


# Roles held over something other than a region (评估专家 over the applications given to them): the app that owns
# such a role registers how a roster row grants and ends it, so the roster (人员名册) needs no knowledge of it.
@dataclass(frozen=True)
class PersonRole:
    label: str  # as the roster writes it, e.g. "评估专家"
    grant: Callable[..., None]  # grant(*, by, user, name: str, organisation: str) -> None; asks the policy itself
    end: Callable[..., None]  # end(*, by, user) -> None: the person left (离岗); history stays


PERSON_ROLES: dict[str, PersonRole] = {}


def register_person_role(role: PersonRole) -> None:
    """Let the roster grant and end `role` (called from the owning app's ready())."""
    PERSON_ROLES[role.label] = role
