"""The province's expert pool (专家库): add, edit, deactivate and reactivate a member, and what the personnel
roster (人员名册) does for the role 评估专家. Each is one transaction, asks the policy (MANAGE_PILOTS over the
province; the roster's system actor may what administrators may) and is logged on the member."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actors import log
from communities import policy
from communities.models import CityPage
from communities.policy import EVERYWHERE

from .. import experts
from ..actions import PilotAction
from ..models import Expert
from . import PilotError

ADDED, CHANGED = "pilots.expert_added", "pilots.expert_changed"
DEACTIVATED, REACTIVATED = "pilots.expert_deactivated", "pilots.expert_reactivated"
LOG_ACTIONS = {ADDED: gettext_lazy("加入专家库"), CHANGED: gettext_lazy("修改专家信息"),
               DEACTIVATED: gettext_lazy("专家停用（出库）"), REACTIVATED: gettext_lazy("专家重新入库")}


def _described(expert: Expert) -> dict:
    return {"user": expert.user.get_username(), "name": expert.name, "organisation": expert.organisation,
            "field": expert.field, "city": expert.city.title if expert.city else "", "active": expert.active}


def _cleaned(name: str, organisation: str, field: str) -> tuple[str, str, str]:
    name, organisation, field = (name or "").strip(), (organisation or "").strip(), (field or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("请填写姓名")
    elif len(name) > 50:
        errors["name"] = _("姓名不能超过50字")
    if not organisation:
        errors["organisation"] = _("请填写工作单位")
    elif len(organisation) > 100:
        errors["organisation"] = _("工作单位不能超过100字")
    if len(field) > 100:
        errors["field"] = _("专业领域不能超过100字")
    if errors:
        raise PilotError(errors)
    return name, organisation, field


@transaction.atomic
def expert_add(*, by, user, name: str, organisation: str, field: str = "", city: CityPage | None = None) -> Expert:
    """Put a user account into the pool."""
    policy.require(by, PilotAction.MANAGE_PILOTS, EVERYWHERE)
    name, organisation, field = _cleaned(name, organisation, field)
    if not user.is_active:
        raise PilotError({"user": _("该账号已停用")})
    if Expert.objects.filter(user=user).exists():
        raise PilotError({"user": _("该账号已在专家库中")})
    expert = Expert.objects.create(user=user, name=name, organisation=organisation, field=field, city=city)
    experts._sync_group(user)
    log(expert, ADDED, actor=by, data=_described(expert))
    return expert


@transaction.atomic
def expert_update(*, by, expert: Expert, name: str, organisation: str, field: str = "",
                  city: CityPage | None = None) -> Expert:
    """Change a member's name, organisation, field or city (回避 is judged on the new ones from now on)."""
    policy.require(by, PilotAction.MANAGE_PILOTS, EVERYWHERE)
    name, organisation, field = _cleaned(name, organisation, field)
    expert = Expert.objects.select_for_update(of=("self",)).select_related("user", "city").get(pk=expert.pk)
    before = _described(expert)
    expert.name, expert.organisation, expert.field, expert.city = name, organisation, field, city
    expert.save()
    after = _described(expert)
    if after != before:
        log(expert, CHANGED, actor=by, data={"from": before, "to": after})
    return expert


@transaction.atomic
def expert_set_active(*, by, expert: Expert, active: bool) -> Expert:
    """Deactivate a member (they can no longer be assigned, see or score anything; their history stays) or take
    them back into the pool."""
    policy.require(by, PilotAction.MANAGE_PILOTS, EVERYWHERE)
    expert = Expert.objects.select_for_update(of=("self",)).select_related("user", "city").get(pk=expert.pk)
    if expert.active != active:
        expert.active = active
        expert.save(update_fields=["active", "updated_at"])
        experts._sync_group(expert.user)
        log(expert, REACTIVATED if active else DEACTIVATED, actor=by, data=_described(expert))
    return expert


@transaction.atomic
def roster_grant(*, by, user, name: str, organisation: str) -> None:
    """The roster lists the person as 评估专家: add them to the pool, or update and reactivate them (the city they
    work in is left for the province to fill; a city already recorded is kept)."""
    expert = Expert.objects.filter(user=user).first()
    if expert is None:
        expert_add(by=by, user=user, name=name, organisation=organisation)
        return
    expert_update(by=by, expert=expert, name=name, organisation=organisation, field=expert.field, city=expert.city)
    expert_set_active(by=by, expert=expert, active=True)


@transaction.atomic
def roster_end(*, by, user) -> None:
    """The roster says the person left (离岗): deactivate them in the pool; their history stays."""
    policy.require(by, PilotAction.MANAGE_PILOTS, EVERYWHERE)
    expert = Expert.objects.filter(user=user).first()
    if expert is not None:
        expert_set_active(by=by, expert=expert, active=False)
