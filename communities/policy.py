"""Who may do what, where: the one answer to "may this user take this action on this object".

Every service, view, admin viewset, menu item and button asks `may()` (services call `require()`); nothing
else decides. An action is allowed to the roles RULES lists for it, through an Assignment whose region
contains the object: a worker on its community, a verifier on its unit (or city), a bureau on its city or
the province. Administrators may take every action except those marked ``admins=False`` (item 24's
sensitive evidence is seen only by the community's own workers and verifiers).

A rule may be `province`-only (held through a province-wide assignment whatever the object: the province's
own moves in the pilot programme) or `local` (not held through a province-wide assignment: a city's own
application). Some actions are also held through an assignment to the object itself (an expert to the
applications given to them): the app owning those assignments registers who holds them with `delegate`.

Objects name the region they belong to with a ``policy_region`` attribute (an item result its community, a
round EVERYWHERE because it spans the province); a region page may be passed directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from wagtail.models import Page
from wagtail.permission_policies.base import BasePermissionPolicy

from .models import ProvincePage, Role
from .selectors import is_admin, region_paths


class Action(StrEnum):
    VIEW_CHECKLIST = "view_checklist"  # open a community's phone checklist
    SAVE = "save"  # answers and photos
    SUBMIT = "submit"
    WITHDRAW = "withdraw"  # take a submitted item back to correct it
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    REVIEW = "review"  # see the review queue and an item's review page
    VIEW_EVIDENCE = "view_evidence"
    VIEW_SENSITIVE_EVIDENCE = "view_sensitive_evidence"  # item 24 (特殊人群)
    PRINT_QR = "print_qr"
    VIEW_COVERAGE = "view_coverage"
    EXPORT_COVERAGE = "export_coverage"
    COVERAGE_API = "coverage_api"  # the bureaus' data platforms
    SNAPSHOT = "snapshot"
    VIEW_ROUNDS = "view_rounds"
    MANAGE_ROUND = "manage_round"  # create, edit, close, reopen
    EDIT_STANDARD = "edit_standard"
    ASSIGN_ROLES = "assign_roles"
    EDIT_REGISTER = "edit_register"
    REBUILD_PHOTOS = "rebuild_photos"
    RUN_JOBS = "run_jobs"
    VIEW_AUDIT = "view_audit"  # the history of the communities one works with
    IMPORT_RESULTS = "import_results"  # results collected on paper, replayed through the services
    VIEW_ASSESSMENT = "view_assessment"  # a city's or county's self-assessment (自评) against 附件1/附件2
    EDIT_ASSESSMENT = "edit_assessment"  # enter indicator values, evidence files, departments, snapshots
    OVERRIDE_INDICATOR = "override_indicator"  # enter a figure over one computed from the communities
    EXPORT_ASSESSMENT = "export_assessment"
    ASSESSMENT_OVERVIEW = "assessment_overview"  # every city and county of the province (checked EVERYWHERE)
    VIEW_PILOTS = "view_pilots"  # a pilot's application, stage, reviews and history
    EDIT_APPLICATION = "edit_application"  # a city's own moves: assemble, submit, 自查, report 整改
    MANAGE_PILOTS = "manage_pilots"  # the province's moves: batches, formal review, lists, reviews, stars
    SCORE_PILOT = "score_pilot"  # expert points, adjustments and sign-off


@dataclass(frozen=True)
class Rule:
    roles: tuple[Role, ...]
    admins: bool = True
    refusal: str = "您没有权限执行此操作"
    # Held only through an assignment covering the whole province, whatever the object (the province's moves).
    province: bool = False
    # Not held through a province-wide assignment: the province judges what a city submits, it does not author it.
    local: bool = False


W, V, B = Role.WORKER, Role.VERIFIER, Role.BUREAU
RULES: dict[Action, Rule] = {
    Action.VIEW_CHECKLIST: Rule((W, V), refusal="不是您负责的社区"),
    Action.SAVE: Rule((W,), refusal="您只能查看该社区的填报，不能修改"),
    Action.SUBMIT: Rule((W,), refusal="只有本社区的工作人员可以提交"),
    Action.WITHDRAW: Rule((W,), refusal="只有本社区的工作人员可以撤回"),
    Action.APPROVE: Rule((V,), refusal="只有本区县的审核人员可以审核"),
    Action.RETURN: Rule((V,), refusal="只有本区县的审核人员可以退回"),
    Action.REOPEN: Rule((V,), refusal="只有本区县的审核人员可以重新打开"),
    Action.REVIEW: Rule((V, B), refusal="没有找到该指标，或您无权查看"),
    Action.VIEW_EVIDENCE: Rule((W, V)),
    Action.VIEW_SENSITIVE_EVIDENCE: Rule((W, V), admins=False),
    Action.PRINT_QR: Rule((W, V, B)),
    Action.VIEW_COVERAGE: Rule((V, B), refusal="您没有查看覆盖率的权限"),
    Action.EXPORT_COVERAGE: Rule((V, B), refusal="您没有导出覆盖率的权限"),
    Action.COVERAGE_API: Rule((B,), refusal="只有大数据局用户可以查询覆盖率"),
    Action.SNAPSHOT: Rule((B,), refusal="只有大数据局或管理员可以生成覆盖率快照"),
    Action.VIEW_ROUNDS: Rule((V, B)),
    Action.MANAGE_ROUND: Rule((B,), refusal="只有管理员或省级大数据局可以新建、修改、关闭或重新开放全省轮次"),
    Action.EDIT_STANDARD: Rule((), refusal="只有管理员可以修订标准"),
    Action.ASSIGN_ROLES: Rule((), refusal="只有管理员可以分配角色"),
    Action.EDIT_REGISTER: Rule((), refusal="只有管理员可以维护社区名册"),
    Action.REBUILD_PHOTOS: Rule((), refusal="只有管理员可以重建照片"),
    Action.RUN_JOBS: Rule((V, B)),
    Action.VIEW_AUDIT: Rule((W, V, B)),
    Action.IMPORT_RESULTS: Rule((V,), refusal="导入人必须是这些社区所在区县的审核人员或管理员"),
    # Self-assessment is the bureaus' work: a city's bureau for the city and its counties, a county's for its own.
    Action.VIEW_ASSESSMENT: Rule((B,), refusal="没有找到该自评，或您无权查看"),
    Action.EDIT_ASSESSMENT: Rule((B,), refusal="只有本市或本县（市、区）的大数据局可以填报自评"),
    Action.OVERRIDE_INDICATOR: Rule((B,), refusal="只有本市或本县（市、区）的大数据局可以用自有数据替代社区汇总值"),
    Action.EXPORT_ASSESSMENT: Rule((B,), refusal="您没有导出该自评的权限"),
    Action.ASSESSMENT_OVERVIEW: Rule((B,), refusal="只有省级大数据局或管理员可以查看全省自评总览"),
    # The pilot programme: a city applies for itself and its counties, the province decides, experts score
    # the applications assigned to them (see `delegate`).
    Action.VIEW_PILOTS: Rule((B,), refusal="没有找到该试点，或您无权查看"),
    Action.EDIT_APPLICATION: Rule((B,), local=True, refusal="只有申报市的大数据局可以办理本市的试点申报"),
    Action.MANAGE_PILOTS: Rule((B,), province=True, refusal="只有省大数据局或管理员可以办理试点的审查、评估和验收"),
    Action.SCORE_PILOT: Rule((B,), province=True, refusal="只有省大数据局或指派的评估专家可以评分"),
}

# Actions also held through an assignment to the object itself rather than a region (an expert to the
# applications given to them): the app that owns such assignments registers who holds them.
_HOLDERS: dict[Action, Callable[[Any, Any], bool]] = {}


def delegate(action: Action, holds: Callable[[Any, Any], bool]) -> None:
    """Let `holds(user, obj)` grant `action` besides the rule's roles (obj may be ANYWHERE, never EVERYWHERE)."""
    _HOLDERS[action] = holds


class _Where:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


# ANYWHERE: "somewhere in the user's scope" (menus, listings); EVERYWHERE: the object spans the whole province.
ANYWHERE = _Where("ANYWHERE")
EVERYWHERE = _Where("EVERYWHERE")


def region_of(obj) -> Page | _Where:
    """Return the region an object belongs to (a page, ANYWHERE or EVERYWHERE)."""
    if isinstance(obj, _Where | Page):
        return obj
    return obj.policy_region


def _covers_everything(user, roles: tuple[Role, ...]) -> bool:
    paths = region_paths(user, roles)
    provinces = _provinces(user)
    return bool(provinces) and all(any(p.startswith(mine) for mine in paths) for p in provinces)


def _provinces(user) -> list[str]:
    return user.__dict__.setdefault("_policy_provinces", list(ProvincePage.objects.values_list("path", flat=True)))


def _paths(user, rule: Rule) -> list[str]:
    paths = region_paths(user, rule.roles)
    if rule.local:
        provinces = _provinces(user)
        paths = [path for path in paths if path not in provinces]
    return paths


def _assigned(user, rule: Rule, where) -> bool:
    if not rule.roles:
        return False
    if where is EVERYWHERE or rule.province:
        return _covers_everything(user, rule.roles)
    paths = _paths(user, rule)
    if where is ANYWHERE:
        return bool(paths)
    return any(where.path.startswith(path) for path in paths)


def may(user, action: Action, obj=ANYWHERE) -> bool:
    """Whether the user may take `action` on `obj` (a region page, an object with a policy_region, ANYWHERE)."""
    if not user.is_authenticated or not user.is_active:
        return False
    rule = RULES[action]
    if rule.admins and is_admin(user):
        return True
    if _assigned(user, rule, region_of(obj)):
        return True
    holds = _HOLDERS.get(action)
    return bool(holds and obj is not EVERYWHERE and holds(user, obj))


def require(user, action: Action, obj=ANYWHERE) -> None:
    """Raise PermissionDenied (with a Chinese message) unless the user may take `action` on `obj`."""
    if not may(user, action, obj):
        raise PermissionDenied(RULES[action].refusal)


def refusal(action: Action) -> str:
    """Return the message shown when `action` is refused."""
    return RULES[action].refusal


def scope_paths(user, action: Action) -> list[str] | None:
    """Return the tree paths under which the user may take `action`; None means everywhere (administrators)."""
    if not user.is_authenticated or not user.is_active:
        return []
    rule = RULES[action]
    if rule.admins and is_admin(user):
        return None
    if not rule.roles:
        return []
    if rule.province:
        return [path for path in _provinces(user) if _covers_everything(user, rule.roles)]
    return list(_paths(user, rule))


def scope_q(user, action: Action, path_field: str = "path") -> Q:
    """Return the condition "under a region where the user may take `action`" on `path_field` (Q() for all)."""
    paths = scope_paths(user, action)
    if paths is None:
        return Q()
    condition = Q(pk__in=[]) if path_field == "path" else Q(**{f"{path_field}__in": []})
    for path in paths:
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


def in_scope(user, action: Action, queryset: QuerySet, path_field: str = "path") -> QuerySet:
    """Narrow a queryset to the objects under the regions where the user may take `action`."""
    return queryset.filter(scope_q(user, action, path_field))


class ScopedPermissionPolicy(BasePermissionPolicy):
    """Wagtail's permission-policy interface over `may`, for a model's admin viewset.

    `actions` maps Wagtail's action names ("add", "change", "delete", "view", ...) to ours, optionally with
    where a model-level check looks (e.g. ("add", (MANAGE_ROUND, EVERYWHERE)): a new round spans the
    province); an action not mapped is never allowed. `path_field` is the lookup from the model to its
    region's tree path, for listings; None when the model's objects span the province.
    """

    def __init__(self, model, actions: dict[str, Action | tuple[Action, _Where]], path_field: str | None = None):
        super().__init__(model)
        self.actions = {name: v if isinstance(v, tuple) else (v, ANYWHERE) for name, v in actions.items()}
        self.path_field = path_field

    def user_has_permission(self, user, action):
        return action in self.actions and may(user, *self.actions[action])

    def user_has_permission_for_instance(self, user, action, instance):
        return action in self.actions and may(user, self.actions[action][0], instance)

    def instances_user_has_permission_for(self, user, action):
        queryset = self.model._default_manager.all()
        if action not in self.actions:
            return queryset.none()
        ours = self.actions[action][0]
        if self.path_field is None:
            return queryset if may(user, ours, EVERYWHERE) else queryset.none()
        return in_scope(user, ours, queryset, self.path_field)

    def users_with_permission(self, action):
        users = get_user_model().objects.filter(is_active=True)
        return users.filter(pk__in=[u.pk for u in users if self.user_has_permission(u, action)])
