from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.actors import system

from ...division_import import import_divisions
from ...register_report import write_changes


class Command(BaseCommand):
    help = (
        "导入国家统计局统计用区划代码表（CSV：UTF-8/GBK，或XLSX，可多个文件）；任一行有误则全部不导入"
        " / Import the official division table"
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="只校验并统计，不写入")
        parser.add_argument("--retire-missing", action="store_true",
                            help="文件所涉省份中不再列出的单位撤销（不删除），同名单位按迁移识别")
        parser.add_argument("--moves", metavar="FILE", help="迁移对照表 CSV：old_code,new_code")
        parser.add_argument("--report", metavar="OUT.csv", help="把每项变更写入 CSV 文件")

    def handle(self, *args, files, dry_run, retire_missing, moves, report, **options):
        try:
            contents = [(Path(name).name, Path(name).read_bytes()) for name in files]
            moved = (Path(moves).name, Path(moves).read_bytes()) if moves else None
        except OSError as exc:
            raise CommandError(f"导入失败：无法读取文件 {exc.filename}：{exc.strerror}") from exc
        result = import_divisions(contents, actor=system("import_divisions"), dry_run=dry_run,
                                  retire_missing=retire_missing, moves=moved)
        if not result.ok:
            raise CommandError(result.failure())
        if report:
            try:
                with open(report, "w", encoding="utf-8-sig", newline="") as out:
                    write_changes(result.entries, out)
            except OSError as exc:
                raise CommandError(f"无法写入报告 {report}：{exc.strerror}") from exc
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(self.style.SUCCESS(result.summary()))
