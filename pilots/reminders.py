"""Reminders before each stage's deadline (and once when it has passed): e-mail through Django's mail settings
to the stage's owners, recorded so each goes once; the admin shows the same as a panel (in-app)."""

from __future__ import annotations

import datetime
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

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
        days = abs(self.days_left)
        when = (ngettext("已逾期 %(n)s 天", "已逾期 %(n)s 天", days) if self.days_left < 0 else
                gettext("今天到期") if self.days_left == 0 else ngettext("还有 %(n)s 天", "还有 %(n)s 天", days))
        return gettext("%(region)s · %(target)s · %(stage)s：截止 %(day)s（%(when)s）") % {
            "region": self.pilot.region.title, "target": self.pilot.target_label, "stage": stage,
            "day": self.pilot.deadline, "when": when % {"n": days}}


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


def _pilots():
    return Pilot.objects.select_related("application__batch", "application__city", "region")


def recipients_of(pilot: Pilot) -> list[str]:
    """Return the e-mail addresses of the stage's owners (those without one are reminded in the admin only)."""
    return sorted({u.email for u in owners_of(pilot) if u.email})


def pending(today: datetime.date | None = None) -> list[tuple[Due, list[str]]]:
    """Return the reminders due today that have not gone yet, each with its recipients (what send() would do)."""
    gone = set(Reminder.objects.values_list("pilot_id", "stage", "deadline", "days_before"))
    return [(item, recipients_of(item.pilot)) for item in due(_pilots(), today)
            if (item.pilot.pk, item.pilot.stage, item.pilot.deadline, item.key) not in gone]


def message(item: Due) -> tuple[str, str]:
    """Return the reminder's subject and body (Chinese: the pilot, its stage, the deadline, who acts)."""
    pilot, owner = item.pilot, OWNERS[Stage(item.pilot.stage)].label
    body = (f"{owner}：\n\n{pilot.application.batch.name}试点 {item.text}。\n"
            f"请登录系统办理：{settings.WAGTAILADMIN_BASE_URL}/admin/pilots/\n")
    return f"【智慧城市试点】{item.text}", body


def send(today: datetime.date | None = None, *, failed: list | None = None) -> list[Reminder]:
    """Send every reminder due today that has not gone yet; return those sent.

    The record and the e-mail go together: a reminder whose e-mail fails is not recorded (it goes again on the
    next run) and is added to `failed` with the error, and the others still go."""
    sent = []
    for item, recipients in pending(today):
        pilot = item.pilot
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(pilot=pilot, stage=pilot.stage, deadline=pilot.deadline,
                                                   days_before=item.key, recipients=", ".join(recipients))
                if recipients:
                    subject, body = message(item)
                    send_mail(subject, body, None, recipients)
        except IntegrityError:
            continue  # sent meanwhile by another run
        except (OSError, smtplib.SMTPException) as exc:
            if failed is None:
                raise
            failed.append((item, exc))
            continue
        sent.append(reminder)
    return sent
