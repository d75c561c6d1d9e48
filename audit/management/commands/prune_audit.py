from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from audit.actors import system

from ...retention import RetentionError, audit_prune


class Command(BaseCommand):
    help = "删除某日之前、且早于六个月的审计日志并重新锚定哈希链 / Prune audit entries older than the retention period"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="删除此日期（当地零点）之前的日志，如 2025-01-01")

    def handle(self, *args, before, **options):
        try:
            day = parse_date(before)
        except ValueError:
            day = None
        if day is None:
            raise CommandError(f"--before 不是有效日期：{before}（例如 2025-01-01）")
        try:
            pruned = audit_prune(before=timezone.make_aware(datetime.combine(day, time())), user=system("prune_audit"))
        except RetentionError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已删除 {pruned.entries} 条 {day} 之前的日志；链从第 {pruned.base_seq + 1} 号起继续核验")
