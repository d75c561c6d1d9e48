import json

from django.core.management.base import BaseCommand, CommandError

from ...exports import SHEETS, csv_text, write_xlsx
from ...rollup import report_for
from ...selectors import ALL, round_by_code, snapshot_by_id


class Command(BaseCommand):
    help = "输出智慧社区覆盖率（json/csv/xlsx），可取自快照 / Print the coverage roll-up"

    def add_arguments(self, parser):
        parser.add_argument("--round", required=True, dest="round_code", help="轮次代码，如 2026")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--out", help="输出文件（xlsx 必填；默认输出到终端）")
        parser.add_argument("--snapshot", help="使用该轮次的快照编号，而不是实时数据")
        parser.add_argument("--sheet", choices=SHEETS, default="units", help="csv 输出哪一张表（默认 units）")

    def handle(self, *args, round_code, format, out, snapshot, sheet, **options):
        round_ = round_by_code(round_code)
        if round_ is None:
            raise CommandError(f"轮次 {round_code} 不存在 / unknown round")
        frozen = None
        if snapshot:
            frozen = snapshot_by_id(round_, snapshot)
            if frozen is None:
                raise CommandError(f"轮次 {round_code} 没有编号为 {snapshot} 的快照 / unknown snapshot")
        if format == "xlsx" and not out:
            raise CommandError("xlsx 格式必须用 --out 指定输出文件")
        report = report_for(round_, ALL, frozen)
        if format == "xlsx":
            write_xlsx(report, out)
        else:
            text = csv_text(report, sheet) if format == "csv" else json.dumps(report.data, ensure_ascii=False, indent=2)
            if out:
                # CSV gets a BOM so that Excel shows the Chinese headers correctly.
                with open(out, "w", encoding="utf-8-sig" if format == "csv" else "utf-8", newline="") as stream:
                    stream.write(text if format == "csv" else text + "\n")
            else:
                self.stdout.write(text, ending="" if format == "csv" else "\n")
        if out:
            self.stderr.write(f"已写入 {out}")
