"""Send the pilots' deadline reminders due today (run daily by cron; see README "Pilot programme")."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pilots import reminders


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "发送试点阶段截止提醒（截止前 30/7/1 天及逾期各一次）/ Send the pilots' deadline reminders"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将发送的提醒，不发送也不记录")
        parser.add_argument("--date", type=_date, help="按该日期计算（YYYY-MM-DD，补发漏掉的提醒）；默认今天")

    def handle(self, *args, dry_run=False, date=None, **options):
        today = date or timezone.localdate()
        if dry_run:
            items = reminders.pending(today)
            for item, recipients in items:
                self.stdout.write(f"将发送：{item.text} → {self._to(recipients)}")
            self.stdout.write(f"试运行（{today}）：将发送 {len(items)} 条提醒，未发送、未记录。")
            return
        failed: list = []
        sent = reminders.send(today, failed=failed)
        for reminder in sent:
            self.stdout.write(f"已发送：{reminders.Due(reminder.pilot, (reminder.deadline - today).days, 0).text}"
                              f" → {self._to(reminder.recipients.split(', ') if reminder.recipients else [])}")
        for item, exc in failed:
            self.stderr.write(f"发送失败：{item.text}：{exc}")
        self.stdout.write(self.style.SUCCESS(f"{today}：已发送 {len(sent)} 条试点截止提醒。"))
        if failed:
            raise CommandError(f"{len(failed)} 条提醒发送失败，下次运行时将重发")

    @staticmethod
    def _to(recipients: list[str]) -> str:
        return "、".join(recipients) if recipients else "（无电子邮箱，仅在系统内提示）"
