import json

from django.core.management.base import BaseCommand, CommandError

from ...models import StandardVersion
from ...versions import DEFAULT_CODE, describe


class Command(BaseCommand):
    help = "输出标准内容（与转录的 YAML 结构一致；--code 选择标准，默认智慧社区标准）/ Print a standard as JSON"

    def create_parser(self, prog_name, subcommand, **kwargs):
        # The contract's --version names the standard's version, not Django's own --version flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--code", default=DEFAULT_CODE, help="标准编号，如 SD-ZHSQ-2019、SD-ZHCS-2019")
        parser.add_argument("--version", dest="number", type=int, help="版本号，默认最新")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, code, number, **options):
        versions = StandardVersion.objects.filter(code=code).order_by("-version")
        version = versions.filter(version=number).first() if number else versions.first()
        if version is None:
            raise CommandError(f"找不到标准 {code}" + (f" 第{number}版" if number else "") + "，请先运行 load_standard")
        self.stdout.write(json.dumps(describe(version), ensure_ascii=False, indent=2))
