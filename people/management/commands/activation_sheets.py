from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actors import system

from ...printing import sheet_html, sheet_pdf
from ...regions import region_by_code
from ...sheets import sheet_issue


class Command(BaseCommand):
    help = "打印一个社区、街道、区县或设区市的账号激活单（A4，PDF 或 HTML）；之前的激活链接作废 / Activation sheets"

    def add_arguments(self, parser):
        parser.add_argument("--scope", required=True, help="社区、街道、区县、设区市或省的代码（短代码或12位）")
        parser.add_argument("--out", required=True, help="输出文件：.pdf 或 .html")
        parser.add_argument("--include-activated", action="store_true",
                            help="也为已设置密码的人员发放新链接（如忘记密码）")

    def handle(self, *args, scope, out, include_activated, **options):
        path = Path(out)
        if path.suffix.lower() not in (".pdf", ".html"):
            raise CommandError(_("输出文件 %(out)s 须以 .pdf 或 .html 结尾") % {"out": out})
        region = region_by_code(scope)
        if region is None:
            raise CommandError(_("范围代码 %(code)s 未找到：社区名册中没有这个社区、街道、区县或设区市")
                               % {"code": scope})
        if not path.parent.is_dir():
            raise CommandError(_("无法写入 %(out)s：目录不存在") % {"out": out})
        try:
            # A sheet that cannot be written must not void the links already handed out: one transaction.
            with transaction.atomic():
                sheet = sheet_issue(by=system("activation_sheets"), region=region,
                                    include_activated=include_activated)
                if path.suffix.lower() == ".pdf":
                    path.write_bytes(sheet_pdf(sheet))
                else:
                    path.write_text(sheet_html(sheet), encoding="utf-8")
        except OSError as exc:
            message = _("无法写入 %(out)s（%(why)s）；未发放新链接") % {"out": out, "why": exc.strerror}
            raise CommandError(message) from exc
        done = _("已打印 %(n)s 人的激活单：%(out)s") % {"n": len(sheet.people), "out": out}
        self.stdout.write(self.style.SUCCESS(done))
