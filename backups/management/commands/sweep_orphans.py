from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from ...orphans import sweep_orphans


class Command(BaseCommand):
    help = "列出（--delete 时删除）没有记录指向的证据与任务结果文件 / List or remove files no row points at"

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="真的删除（默认只列出）")
        parser.add_argument("--grace-hours", type=int, default=24, help="不碰这段时间内写入的文件（默认 24，至少 1）")

    def handle(self, *args, delete, grace_hours, **options):
        try:
            sweep = sweep_orphans(delete=delete, grace=timedelta(hours=grace_hours))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for orphan in sweep.orphans:
            self.stdout.write(f"{orphan.name}\t{orphan.size}\t{orphan.modified.isoformat(timespec='seconds')}")
        size = sum(o.size for o in sweep.orphans) / 1024 / 1024
        verb = f"已删除 {len(sweep.deleted)} 个" if delete else "未删除（加 --delete 删除）"
        self.stderr.write(f"无记录的文件 {len(sweep.orphans)} 个，共 {size:.1f} MB，{verb}；"
                          f"另有 {len(sweep.young)} 个在 {grace_hours} 小时宽限期内，未动")
