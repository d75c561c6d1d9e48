from django.core.management.base import BaseCommand, CommandError

from audit.actors import system

from ...versions import StandardError, load_bundled, load_file


class Command(BaseCommand):
    help = (
        "载入或更新标准；不指定文件时依次载入全部内置标准（SD-ZHSQ-2019 第1、2版，SD-ZHCS-2019）；"
        "内容变化时生成新版本 / Load the standards as new versions"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="标准文件（YAML）；不指定时载入全部内置标准")

    def handle(self, *args, file, **options):
        try:
            actor = system("load_standard")
            loaded = [load_file(file, user=actor)] if file else load_bundled(user=actor)
        except (OSError, StandardError) as exc:
            raise CommandError(f"载入失败：{exc}") from exc
        for version, created in loaded:
            state = "已创建新版本" if created else "内容未变化，沿用"
            self.stdout.write(self.style.SUCCESS(f"{state}：{version.code} 第{version.version}版"))
