"""Send the pilots' deadline reminders due today (run daily by cron; see README "Pilot programme")."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from pilots import reminders


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": value}) from None


class Command(BaseCommand):
    help = "发送试点阶段截止提醒（截止前 30/7/1 天及逾期各一次）/ Send the pilots' deadline reminders"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("只列出将发送的提醒，不发送也不记录"))
        parser.add_argument("--date", type=_date, help=_("按该日期计算（YYYY-MM-DD，补发漏掉的提醒）；默认今天"))

    def handle(self, *args, dry_run=False, date=None, **options):
        today = date or timezone.localdate()
        if dry_run:
            items = reminders.pending(today)
            for item, recipients in items:
                self.stdout.write(_("将发送：%(what)s → %(to)s") % {"what": item.text, "to": self._to(recipients)})
            self.stdout.write(_("试运行（%(day)s）：将发送 %(n)s 条提醒，未发送、未记录。") % {"day": today,
                                                                      "n": len(items)})
            return
        failed: list = []
        sent = reminders.send(today, failed=failed)
        for reminder in sent:
            what = reminders.Due(reminder.pilot, (reminder.deadline - today).days, 0).text
            to = self._to(reminder.recipients.split(", ") if reminder.recipients else [])
            self.stdout.write(_("已发送：%(what)s → %(to)s") % {"what": what, "to": to})
        for item, exc in failed:
            self.stderr.write(_("发送失败：%(what)s：%(why)s") % {"what": item.text, "why": exc})
        done = _("%(day)s：已发送 %(n)s 条试点截止提醒。") % {"day": today, "n": len(sent)}
        self.stdout.write(self.style.SUCCESS(done))
        if failed:
            raise CommandError(_("%(n)s 条提醒发送失败，下次运行时将重发") % {"n": len(failed)})

    @staticmethod
    def _to(recipients: list[str]) -> str:
        return "、".join(recipients) if recipients else _("（无电子邮箱，仅在系统内提示）")
