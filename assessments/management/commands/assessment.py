from django.core.management.base import BaseCommand, CommandError

from ...output import AssessmentOutputError, write_assessments


class Command(BaseCommand):
    help = "输出城市与区县自评（json/csv/xlsx）/ Print the city and county self-assessments"

    def add_arguments(self, parser):
        parser.add_argument("--round", required=True, dest="round_code", help="轮次代码，如 2026")
        parser.add_argument("--level", choices=["city", "county"], help="只输出设区市或县（市、区）")
        parser.add_argument("--code", help="只输出该设区市或县（市、区）（尚未开始自评也输出其社区数据）")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--out", help="输出文件（xlsx 必填；默认输出到终端）")

    def handle(self, *args, round_code, level, code, format, out, **options):
        try:
            text = write_assessments(round_code=round_code, level=level, code=code, fmt=format, out=out)
        except AssessmentOutputError as exc:
            raise CommandError(str(exc)) from exc
        if text is not None:
            self.stdout.write(text, ending="" if format == "csv" else "\n")
        else:
            self.stderr.write(f"已写入 {out}")
