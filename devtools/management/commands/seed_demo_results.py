from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from checklists.models import ItemResult
from standards.rounds import open_round

from ...demo_results import seed_demo_results


class Command(BaseCommand):
    help = "为示范市填入演示答卷（经真实的保存、照片、提交与审核流程；仅限 DEBUG 模式）/ Demo answers (DEBUG only)"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo_results 只能在 DEBUG 模式下运行")
        round_ = open_round()
        if round_ is None:
            raise CommandError("没有进行中的轮次，请先运行 open_round")
        if ItemResult.objects.filter(round=round_, community__city__code="379900").exists():
            self.stdout.write("示范市在本轮已有答卷，跳过。")
            return
        count = seed_demo_results(round_)
        self.stdout.write(self.style.SUCCESS(f"已为示范市填入 {count} 项演示答卷（{round_}）。"))
