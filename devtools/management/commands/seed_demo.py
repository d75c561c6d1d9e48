from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...demo import seed_demo


class Command(BaseCommand):
    help = "建立演示数据：虚构的示范市及演示账号（仅限 DEBUG 模式）/ Build demo data (DEBUG only)"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo 只能在 DEBUG 模式下运行（演示账号的密码是公开的）")
        passwords = seed_demo()
        self.stdout.write(self.style.SUCCESS("示范市已就绪。演示账号（仅供开发使用）："))
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<10} {password}")
