"""Named experts: the province's pool (专家库), the group that lets pool members into the admin, and assignments
to applications, which are an expert's whole scope. communities.policy asks `sees` for VIEW_PILOTS, `scores` for
SCORE_PILOT, `may_sit` for SIT_ON_PANEL and `sees_evidence` for the files of the self-assessments they judge
(VIEW_ASSESSMENT), and `scope` for the rows those give; `conflict` says why an expert
must stand aside (回避) and is the one place that decides it."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import AssessmentSnapshot, EvidenceFile
from audit.actors import log
from communities import policy
from communities.models import Assignment, Role
from communities.policy import ANYWHERE, EVERYWHERE

from .actions import PilotAction
from .models import Application, Expert, ExpertAssignment, Pilot, Review, Task
from .services import PilotError

EXPERT_GROUP = "评估专家"
ASSIGNED, UNASSIGNED = "pilots.expert_assigned", "pilots.expert_unassigned"
LOG_ACTIONS = {ASSIGNED: gettext_lazy("指派评估专家"), UNASSIGNED: gettext_lazy("取消评估专家指派")}


def ensure_expert_group() -> Group:
    """Create the experts' group: admin access and nothing else (idempotent; run after every migrate)."""
    group, _ = Group.objects.get_or_create(name=EXPERT_GROUP)
    access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    if access:
        group.permissions.add(access)
    return group


def member_of_pool(user) -> Expert | None:
    """Return the user's entry in the pool (active or not), or None."""
    if not getattr(user, "pk", None):
        return None
    return Expert.objects.filter(user_id=user.pk).select_related("city").first()


def in_pool(user) -> bool:
    """Whether the user is an active pool member (cached per request; the pool's services forget it)."""
    if "_pilot_in_pool" not in user.__dict__:
        user._pilot_in_pool = bool(getattr(user, "pk", None)) and Expert.objects.filter(
            user_id=user.pk, active=True).exists()
    return user._pilot_in_pool


def forget(user) -> None:
    """Drop what this module cached on the user (after their pool entry or assignments changed)."""
    for key in ("_pilot_in_pool", "_pilot_expert_ids"):
        user.__dict__.pop(key, None)


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
        user._pilot_expert_ids = set(ExpertAssignment.objects.filter(expert_id=user.pk).values_list(
            "application_id", flat=True)) if getattr(user, "pk", None) else set()
    return user._pilot_expert_ids


def conflict(user, application: Application) -> str:
    """Return why the user may not judge this application (not in the pool, inactive, or 回避: working in the
    applicant city, for an organisation named after it or one of its pilot regions, or holding a role there);
    "" when nothing stands in the way."""
    member = member_of_pool(user)
    if member is None:
        return _("%(user)s不在专家库中") % {"user": user.get_username()}
    if not member.active:
        return _("%(name)s已停用（不在库）") % {"name": member.name}
    city = application.city
    if member.city_id == city.pk:
        return _("%(name)s的工作所在城市为%(city)s，与申报市相同，须回避") % {"name": member.name, "city": city.title}
    names = [city.title, *application.pilots.values_list("region__title", flat=True)]
    named = next((name for name in names if name and name in member.organisation), None)
    if named:
        return _("%(name)s的工作单位“%(organisation)s”属于申报地区%(region)s，须回避") % {
            "name": member.name, "organisation": member.organisation, "region": named}
    held = Assignment.objects.filter(user_id=user.pk, region__path__startswith=city.path).select_related(
        "region").first()
    if held:
        return _("%(name)s在%(region)s担任%(role)s，须回避") % {
            "name": member.name, "region": held.region.title, "role": Role(held.role).label}
    return ""


def sees(user, obj) -> bool:
    """VIEW_PILOTS through an assignment: an active pool member, on the applications assigned to them."""
    if not in_pool(user):
        return False
    mine = assigned_ids(user)
    return bool(mine) if obj is ANYWHERE else application_id_of(obj) in mine


def scores(user, obj) -> bool:
    """SCORE_PILOT: as `sees`, and only while nothing asks the expert to stand aside from the application."""
    if not sees(user, obj):
        return False
    if obj is ANYWHERE:
        return True
    application = obj if isinstance(obj, Application) else Application.objects.filter(
        pk=application_id_of(obj)).select_related("city").first()
    return application is not None and not conflict(user, application)


def may_sit(user, obj) -> bool:
    """SIT_ON_PANEL: an active pool member with no reason to stand aside from this application."""
    if obj is ANYWHERE:
        return in_pool(user)
    return isinstance(obj, Application) and in_pool(user) and not conflict(user, obj)


def evidence_ids(document: dict) -> set[int]:
    """Return the ids of the evidence files a frozen self-assessment lists."""
    return {f["id"] for category in document["categories"] for ind in category["indicators"]
            for f in ind.get("evidence") or ()}


def sees_evidence(user, obj) -> bool:
    """VIEW_ASSESSMENT on one evidence file, for an expert: the file is listed in a self-assessment frozen for a
    pilot of an application assigned to them (never the live assessment pages, never ANYWHERE)."""
    if not isinstance(obj, EvidenceFile) or not in_pool(user) or not assigned_ids(user):
        return False
    pilots = Pilot.objects.filter(application_id__in=assigned_ids(user))
    snapshots = AssessmentSnapshot.objects.filter(
        Q(pk__in=pilots.values("snapshot_id")) | Q(pk__in=Review.objects.filter(pilot__in=pilots).values(
            "snapshot_id")), assessment_id=obj.assessment_id)
    return any(obj.pk in evidence_ids(data["document"]) for data in snapshots.values_list("data", flat=True))


# The rows of each model an assignment gives (listings and Wagtail's permission policies).
_SCOPED = {Application: "pk__in", Pilot: "application_id__in", Review: "pilot__application_id__in",
           Task: "pilot__application_id__in"}


def scope(user, model: type) -> Q | None:
    lookup = _SCOPED.get(model)
    if lookup is None:
        return None
    return Q(**{lookup: sorted(assigned_ids(user)) if in_pool(user) else []})


def _sync_group(user) -> None:
    """Keep the user in the experts' group (admin access) exactly while they are an active pool member."""
    group = ensure_expert_group()
    if Expert.objects.filter(user_id=user.pk, active=True).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)
    forget(user)


def _described(application: Application, expert) -> dict:
    member = member_of_pool(expert)
    return {"expert": expert.get_username(), "name": member.name if member else "", "application": application.pk,
            "organisation": member.organisation if member else "",
            "city": member.city.title if member and member.city else ""}


@transaction.atomic
def expert_assign(*, by, application: Application, expert) -> ExpertAssignment:
    """Give a pool expert one application to assess; refused, with the reason, for anyone who must stand aside."""
    policy.require(by, PilotAction.MANAGE_PILOTS, EVERYWHERE)
    if not expert.is_active or not policy.may(expert, PilotAction.SIT_ON_PANEL, application):
        reason = (conflict(expert, application) if expert.is_active
                  else _("%(user)s的账号已停用") % {"user": expert.get_username()})
        raise PilotError({"expert": reason or policy.refusal(PilotAction.SIT_ON_PANEL)})
    assignment, created = ExpertAssignment.objects.get_or_create(application=application, expert=expert,
                                                                 defaults={"assigned_by": by})
    _sync_group(expert)
    if created:
        log(application, ASSIGNED, actor=by, data=_described(application, expert))
    return assignment


@transaction.atomic
def expert_unassign(*, by, application: Application, expert) -> None:
    """Take an application away from an expert; their past scores and signatures stay on record."""
    policy.require(by, PilotAction.MANAGE_PILOTS, EVERYWHERE)
    deleted, _ = ExpertAssignment.objects.filter(application=application, expert=expert).delete()
    forget(expert)
    if deleted:
        log(application, UNASSIGNED, actor=by, data=_described(application, expert))
