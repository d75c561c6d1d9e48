"""Named experts: a group that lets them into the admin, and assignments to applications that are their whole
scope (communities.policy asks `holds` for VIEW_PILOTS and SCORE_PILOT)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.log_actions import log

from communities import policy
from communities.policy import ANYWHERE, EVERYWHERE

from .actions import PilotAction
from .models import Application, ExpertAssignment

EXPERT_GROUP = "评估专家"
ASSIGNED, UNASSIGNED = "pilots.expert_assigned", "pilots.expert_unassigned"
LOG_ACTIONS = {ASSIGNED: "指派评估专家", UNASSIGNED: "取消评估专家指派"}


def ensure_expert_group() -> Group:
    """Create the experts' group: admin access and nothing else (idempotent; run after every migrate)."""
    group, _ = Group.objects.get_or_create(name=EXPERT_GROUP)
    access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    if access:
        group.permissions.add(access)
    return group


def application_id_of(obj) -> int | None:
    """Return the id of the application an object of this app belongs to (None for anything else)."""
    if isinstance(obj, Application):
        return obj.pk
    if hasattr(obj, "application_id"):
        return obj.application_id
    # A visit photo belongs to its visit, which belongs to the pilot.
    holder = getattr(obj, "visit", None) or obj
    pilot = getattr(holder, "pilot", None)
    return pilot.application_id if pilot is not None else None


def assigned_ids(user) -> set[int]:
    """Return the ids of the applications the user is assigned to as an expert (cached per request)."""
    if "_pilot_expert_ids" not in user.__dict__:
        user._pilot_expert_ids = set(ExpertAssignment.objects.filter(expert=user).values_list("application_id",
                                                                                              flat=True))
    return user._pilot_expert_ids


def holds(user, obj) -> bool:
    """Whether an expert assignment gives the user this object (ANYWHERE: any application at all)."""
    mine = assigned_ids(user)
    if obj is ANYWHERE:
        return bool(mine)
    return application_id_of(obj) in mine


def _sync_group(user) -> None:
    group = ensure_expert_group()
    if ExpertAssignment.objects.filter(expert=user).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)
    user.__dict__.pop("_pilot_expert_ids", None)


@transaction.atomic
def expert_assign(*, by, application: Application, expert) -> ExpertAssignment:
    """Give an expert one application to assess (and the admin access that needs)."""
    policy.require(by, PilotAction.MANAGE_PILOTS, EVERYWHERE)
    if not expert.is_active:
        raise ValidationError({"expert": "该用户已停用"})
    assignment, created = ExpertAssignment.objects.get_or_create(application=application, expert=expert,
                                                                 defaults={"assigned_by": by})
    _sync_group(expert)
    if created:
        log(application, ASSIGNED, user=by, data={"expert": expert.get_username(), "application": application.pk})
    return assignment


@transaction.atomic
def expert_unassign(*, by, application: Application, expert) -> None:
    """Take an application away from an expert; their past scores and signatures stay on record."""
    policy.require(by, PilotAction.MANAGE_PILOTS, EVERYWHERE)
    deleted, _ = ExpertAssignment.objects.filter(application=application, expert=expert).delete()
    _sync_group(expert)
    if deleted:
        log(application, UNASSIGNED, user=by, data={"expert": expert.get_username(), "application": application.pk})
