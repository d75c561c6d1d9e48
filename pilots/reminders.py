"""Reminders before each stage's deadline (and once when it has passed): e-mail through Django's mail settings
to the stage's owners, recorded so each goes once; the admin shows the same as a panel (in-app)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Pilot, Reminder
from .selectors import owners_of
from .stages import OWNERS, TERMINAL, Stage

OVERDUE = -1


def lead_days() -> tuple[int, ...]:
    return tuple(sorted(int(d) for d in getattr(settings, "PILOT_REMINDER_DAYS", (30, 7, 1))))


def window(days_left: int, leads: tuple[int, ...]) -> int | None:
    """Return which reminder is due `days_left` days before a deadline: the nearest lead, OVERDUE, or None."""
    if days_left < 0:
        return OVERDUE
    return next((lead for lead in leads if days_left <= lead), None)


@dataclass(frozen=True)
class Due:
    pilot: Pilot
    days_left: int
    key: int

    @property
    def text(self) -> str:
        stage = Stage(self.pilot.stage).label
        when = (f"已逾期 {-self.days_left} 天" if self.days_left < 0 else
                "今天到期" if self.days_left == 0 else f"还有 {self.days_left} 天")
        return f"{self.pilot.region.title} · {self.pilot.target_label} · {stage}：截止 {self.pilot.deadline}（{when}）"


def due(pilots, today: datetime.date | None = None) -> list[Due]:
    """Return the pilots whose deadline is within the longest lead or past, nearest first."""
    today, leads = today or timezone.localdate(), lead_days()
    found = []
    for pilot in pilots.exclude(stage__in=TERMINAL).filter(deadline__isnull=False):
        days_left = (pilot.deadline - today).days
        key = window(days_left, leads)
        if key is not None:
            found.append(Due(pilot, days_left, key))
    return sorted(found, key=lambda d: d.days_left)


def send(today: datetime.date | None = None) -> list[Reminder]:
    """Send every reminder due today that has not gone yet; return those sent."""
    pilots = Pilot.objects.select_related("application__batch", "application__city", "region")
    sent = []
    for item in due(pilots, today):
        pilot = item.pilot
        recipients = sorted({u.email for u in owners_of(pilot) if u.email})
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(pilot=pilot, stage=pilot.stage, deadline=pilot.deadline,
                                                   days_before=item.key, recipients=", ".join(recipients))
        except IntegrityError:
            continue  # this one went already
        if recipients:
            owner = OWNERS[Stage(pilot.stage)].label
            send_mail(f"【智慧城市试点】{item.text}",
                      f"{owner}：\n\n{item.text}。\n请登录系统办理：{settings.WAGTAILADMIN_BASE_URL}/admin/pilots/\n",
                      None, recipients)
        sent.append(reminder)
    return sent
