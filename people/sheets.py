"""Activation sheets: who of a region gets a new one-time link, issued as one logged act (printing is rendering)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from audit.actors import log
from communities import policy
from communities.models import Assignment, ProvincePage, Role

from .actions import PeopleAction
from .activation import activation_days, links_issue
from .models import Person
from .reach import out_of_reach
from .regions import described

ISSUED = "people.activation_issued"


@dataclass(frozen=True)
class SheetPerson:
    name: str
    login: str
    roles: tuple[str, ...]  # within the sheet's region: "社区工作人员 · 某社区（370102001001）"
    link: str


@dataclass
class Sheet:
    region: Page
    issued_at: datetime
    expires_at: datetime
    days: int
    people: list[SheetPerson] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "姓名：why not" (out of the printer's reach)

    @property
    def title(self) -> str:
        return _("%(region)s 账号激活单") % {"region": described(self.region)}


def _people_of(region: Page) -> dict[int, list[str]]:
    """Return the active people of a region (roles at or under it; the province adds its pool), with their roles."""
    roles: dict[int, list[str]] = {}
    held = (Assignment.objects.filter(region__path__startswith=region.path, user__is_active=True)
            .select_related("region").order_by("region__path", "role"))
    for assignment in held:
        roles.setdefault(assignment.user_id, []).append(
            f"{Role(assignment.role).label} · {described(assignment.region.specific)}")
    if isinstance(region.specific, ProvincePage):
        for person in Person.objects.filter(user__is_active=True).exclude(person_roles=[]):
            roles.setdefault(person.user_id, []).extend(person.person_roles)
    return roles


@transaction.atomic
def sheet_issue(*, by, region: Page, include_activated: bool = False) -> Sheet:
    """Issue new activation links for the people of `region` that `by` reaches (voiding their older links).

    By default only people who have not set a password yet; with `include_activated` also those who have (a new
    link lets them set a new one, e.g. forgotten). One log entry names the region and everyone on the sheet.
    """
    policy.require(by, PeopleAction.ISSUE_ACTIVATION, region)
    roles = _people_of(region)
    users = get_user_model().objects.filter(pk__in=roles).prefetch_related("groups").order_by("first_name",
                                                                                             "username")
    assignments: dict[int, list[Assignment]] = {}
    for a in Assignment.objects.filter(user_id__in=roles).select_related("region"):
        assignments.setdefault(a.user_id, []).append(a)
    persons = {p.user_id: p for p in Person.objects.filter(user_id__in=roles)}
    chosen, skipped = [], []
    for user in users:
        if user.has_usable_password() and not include_activated:
            continue
        why = out_of_reach(by, PeopleAction.ISSUE_ACTIVATION, user, assignments.get(user.pk, []),
                           persons.get(user.pk))
        if why:
            skipped.append(f"{user.first_name or _('（未填姓名）')}：{why}")
        else:
            chosen.append(user)
    now = timezone.now()
    sheet = Sheet(region.specific, now, now + timedelta(days=activation_days()), activation_days(),
                  skipped=skipped)
    for issued in links_issue(users=chosen):
        user = issued.user
        sheet.people.append(SheetPerson(user.first_name, user.get_username(), tuple(roles[user.pk]), issued.link))
    log(region.specific, ISSUED, actor=by, data={
        "region": region.specific.code, "include_activated": include_activated,
        "people": [{"name": p.name, "phone": p.login} for p in sheet.people]})
    return sheet
