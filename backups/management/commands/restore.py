from django.core.management.base import BaseCommand, CommandError

from ...database import BackupError
from ...services import backup_restore


class Command(BaseCommand):
    help = ("先核对备份目录的一切（清单哈希、文件名、符号链接、每个文件），再恢复数据库和文件到空库、空存储，"
            "并逐表逐文件核对 / Check a backup through, restore it and verify it")

    def add_arguments(self, parser):
        parser.add_argument("directory", help="backup 命令写出的目录")
        trust = parser.add_mutually_exclusive_group()
        trust.add_argument("--manifest-sha256", metavar="H",
                           help="backup 时打印、另行保存的 manifest.json 的 SHA-256（与备份分开保存）")
        trust.add_argument("--trust-manifest", action="store_true",
                           help="没有另存的清单哈希时，信任目录里的清单（接受风险：备份连同清单被改写也无从发现）")
        parser.add_argument("--force", action="store_true", help="目标数据库或存储不是空的也覆盖（慎用）")

    def handle(self, *args, directory, manifest_sha256, trust_manifest, force, **options):
        try:
            outcome = backup_restore(directory, manifest_sha256=manifest_sha256, trust_manifest=trust_manifest,
                                     force=force)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        for warning in outcome.warnings:
            self.stderr.write(f"注意：{warning}")
        tables, files = outcome.manifest["database"]["tables"], outcome.manifest["media"]["files"]
        self.stdout.write(f"已恢复并核对：{len(tables)} 张表 {sum(tables.values())} 行、{len(files)} 个文件与清单相符")
