"""Write every pilot's stage history (and, in XLSX, one row per pilot) to a file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pilots import exports
from pilots.models import Batch


class Command(BaseCommand):
    help = "导出试点阶段记录（CSV 或 XLSX）/ Export every pilot's stage history"

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx", help=_("csv 或 xlsx（默认 xlsx）"))
        parser.add_argument("--output", required=True, help=_("输出文件路径"))
        parser.add_argument("--batch", type=int, help=_("只导出该年度批次"))

    def handle(self, *args, format, output, batch=None, **options):
        the_batch = None
        if batch is not None:
            the_batch = Batch.objects.filter(year=batch).first()
            if the_batch is None:
                raise CommandError(_("没有 %(year)s 年度的试点批次") % {"year": batch})
        pilots = exports.pilots_of(the_batch)
        try:
            if format == "csv":
                with open(output, "w", encoding="utf-8", newline="") as stream:
                    stream.write(exports.csv_text(pilots))  # the text starts with its BOM
            else:
                exports.write_xlsx(pilots, output)
        except OSError as exc:
            raise CommandError(_("无法写入 %(out)s：%(why)s") % {"out": output, "why": exc}) from exc
        moves = exports.selectors.history_rows(pilots).count()
        self.stdout.write(self.style.SUCCESS(_("已导出 %(n)s 个试点的 %(moves)s 条阶段记录到 %(out)s") % {
            "n": pilots.count(), "moves": moves, "out": output}))
