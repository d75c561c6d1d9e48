from django.core.management.base import BaseCommand, CommandError

from ...database import BackupError
from ...services import backup_restore


class Command(BaseCommand):
    help = "从 backup 目录恢复数据库和文件到空库、空存储，并逐表逐文件核对 / Restore a backup and verify it"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="backup 命令写出的目录")
        parser.add_argument("--force", action="store_true", help="目标数据库或存储不是空的也覆盖（慎用）")

    def handle(self, *args, directory, force, **options):
        try:
            outcome = backup_restore(directory, force=force)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        for warning in outcome.warnings:
            self.stderr.write(f"注意：{warning}")
        tables, files = outcome.manifest["database"]["tables"], outcome.manifest["media"]["files"]
        self.stdout.write(f"已恢复并核对：{len(tables)} 张表 {sum(tables.values())} 行、{len(files)} 个文件与清单相符")
