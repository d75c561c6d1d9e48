from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.actors import system

from ...register import RegisterFileError, import_register


class Command(BaseCommand):
    help = "导入社区名册（CSV：UTF-8/GBK，或XLSX）；任一行有误则全部不导入 / Import the community register"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        try:
            report = import_register(path.read_bytes(), path.name, actor=system("import_communities"), dry_run=dry_run)
        except (OSError, RegisterFileError) as exc:
            raise CommandError(f"导入失败：{exc}") from exc
        if not report.ok:
            raise CommandError(report.failure())
        self.stdout.write(self.style.SUCCESS(report.summary()))
