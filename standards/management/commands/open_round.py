from django.core.management.base import BaseCommand, CommandError

from audit.actors import system

from ...rounds import round_open
from ...versions import StandardError


class Command(BaseCommand):
    help = "创建（或重新开放）核查轮次，绑定当前标准版本 / Open an assessment round"

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--name", default="")

    def handle(self, *args, code, name, **options):
        try:
            round_, created = round_open(code, user=system("open_round"), name=name)
        except StandardError as exc:
            raise CommandError(str(exc)) from exc
        state = "已创建" if created else "已重新开放"
        self.stdout.write(self.style.SUCCESS(f"{state}轮次 {round_.code}（{round_.name}），标准 {round_.standard}"))
