from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ...imports import AssessmentFileError, import_assessment


class Command(BaseCommand):
    help = "导入城市与区县自评的指标值（JSONL，每行一项）；任一行有误则全部不导入 / Import assessment values"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="记入审计日志的导入人用户名（须有权填报这些自评）")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")

    def handle(self, *args, file, user, dry_run, **options):
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"用户 {user} 不存在或已停用 / unknown user")
        try:
            report = import_assessment(file, user=account, dry_run=dry_run)
        except AssessmentFileError as exc:
            raise CommandError(f"导入失败：{exc}") from exc
        if not report.ok:
            raise CommandError(report.failure())
        self.stdout.write(self.style.SUCCESS(report.summary()))
