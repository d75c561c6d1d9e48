from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ...province import ProvinceExists, generate_province


class Command(BaseCommand):
    help = (
        "生成模拟省份（16个设区市、约140个区县、1万个街道社区及乡镇社区，一个轮次的全部指标结果与照片记录）"
        " / Generate a synthetic province for benchmarks and load tests"
    )

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, default=10_000, help="统计范围内（街道）社区数，默认 10000")
        parser.add_argument("--cities", type=int, default=16)
        parser.add_argument("--units", type=int, default=140)
        parser.add_argument("--seed", type=int, default=2026, help="随机种子：相同种子生成相同数据")
        parser.add_argument("--round", dest="round_code", default="2026")

    def handle(self, *args, communities, cities, units, seed, round_code, **options):
        if communities < 1 or cities < 1 or units < 1:
            raise CommandError("--communities、--cities、--units 必须是正整数")
        try:
            report = generate_province(
                communities=communities, cities=cities, units=units, seed=seed, round_code=round_code,
                progress=self.stdout.write,
            )
        except ProvinceExists as exc:
            raise CommandError(str(exc)) from exc
        if connection.vendor == "postgresql":
            # Fresh planner statistics after a bulk load (autovacuum would get there, later). Not on SQLite:
            # its statistics see a single round and steer the roll-up's GROUP BY away from the status index.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(report.summary()))
