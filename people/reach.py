"""Whose account an importer or a sheet printer may act on: the policy asked of every role the person holds."""

from __future__ import annotations

from django.utils.translation import gettext as _

from audit.actors import is_system
from communities import policy
from communities.actions import CommunityAction
from communities.models import ADMIN_GROUP, Assignment, Role
from communities.policy import EVERYWHERE, Action

from .actions import PeopleAction
from .models import Person
from .regions import described


def may_act_on_anyone(by) -> bool:
    """Administrators (and operators' commands) may act on any account: they hold the whole assignment table."""
    return policy.may(by, CommunityAction.MANAGE_ASSIGNMENTS, EVERYWHERE)


def out_of_reach(by, action: Action, user, assignments: list[Assignment], person: Person | None) -> str | None:
    """Return why `by` may not act on this existing account with `action`, or None.

    A bureau reaches a person only when every role they hold lies within its scope; accounts of administrators
    and accounts made outside the roster are for administrators only.
    """
    if may_act_on_anyone(by):
        return None
    if user.is_superuser or any(group.name == ADMIN_GROUP for group in user.groups.all()):
        return _("该手机号是管理员账号，只有管理员可以修改")
    if person is None:
        return _("该账号不是通过人员名册建立的，只有管理员可以修改")
    for assignment in assignments:
        if not policy.may(by, action, assignment.region):
            return _("该人员还在%(region)s担任%(role)s，超出您的管辖范围") % {
                "region": described(assignment.region.specific), "role": Role(assignment.role).label}
    if person.person_roles and not policy.may(by, PeopleAction.ROSTER_EXPERTS, EVERYWHERE):
        return _("该人员是%(roles)s，只有省大数据局或管理员可以修改") % {"roles": "、".join(person.person_roles)}
    return None


def is_self(by, user) -> bool:
    return not is_system(by) and user.pk == getattr(by, "pk", None)
