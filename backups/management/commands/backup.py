from django.core.management.base import BaseCommand, CommandError

from ...database import BackupError
from ...services import backup_create


class Command(BaseCommand):
    help = "备份数据库和全部证据、任务结果文件，附 SHA-256 清单 / Back up the database and media with a manifest"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="新的空目录，如 /srv/backups/zhsq-20260601")

    def handle(self, *args, directory, **options):
        try:
            outcome = backup_create(directory)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        for warning in outcome.warnings:
            self.stderr.write(f"注意：{warning}")
        files, tables = outcome.manifest["media"]["files"], outcome.manifest["database"]["tables"]
        self.stdout.write(f"已备份到 {directory}：{len(tables)} 张表 {sum(tables.values())} 行，{len(files)} 个文件。")
        self.stdout.write(f"清单 manifest.json 的 SHA-256：{outcome.manifest_sha256}（请与备份分开记下；恢复时用 "
                          f"restore {directory} --manifest-sha256 {outcome.manifest_sha256}）")
