from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from standards.rounds import open_round

from ...demo_pilots import seed_demo_pilots


class Command(BaseCommand):
    help = "为示范市建立演示试点（本年度批次，示范市申报进入专家评估；仅限 DEBUG 模式）/ Demo pilots (DEBUG only)"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo_pilots 只能在 DEBUG 模式下运行（演示账号的密码是公开的）")
        round_ = open_round()
        if round_ is None:
            raise CommandError("没有进行中的轮次，请先运行 open_round")
        passwords = seed_demo_pilots(round_)
        self.stdout.write(self.style.SUCCESS("演示试点已就绪（示范市申报处于专家评估）。演示账号（仅供开发使用）："))
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<10} {password}")
