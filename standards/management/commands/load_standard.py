from django.core.management.base import BaseCommand, CommandError

from ...versions import BUNDLED, StandardError, load_file


class Command(BaseCommand):
    help = "载入或更新智慧社区标准（默认内置 SD-ZHSQ-2019）；内容变化时生成新版本 / Load the standard as a new version"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(BUNDLED))

    def handle(self, *args, file, **options):
        try:
            version, created = load_file(file)
        except (OSError, StandardError) as exc:
            raise CommandError(f"载入失败：{exc}") from exc
        state = "已创建新版本" if created else "内容未变化，沿用"
        self.stdout.write(self.style.SUCCESS(f"{state}：{version.code} 第{version.version}版"))
