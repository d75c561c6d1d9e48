from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...reading import RosterFileError
from ...roster import roster_import
from ...rows import HeaderError


class Command(BaseCommand):
    help = "导入人员名册（CSV：UTF-8/GBK，或XLSX），以 --by 用户的权限逐行检查；任一行有误则全部不导入 / Import people"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--by", required=True, help="以哪个用户的名义导入（其辖区决定可导入的人员）")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")

    def handle(self, *args, file, by, dry_run, **options):
        actor = get_user_model().objects.filter(username=by, is_active=True).first()
        if actor is None:
            raise CommandError(_("导入失败：用户 %(user)s 不存在或已停用") % {"user": by})
        path = Path(file)
        try:
            report = roster_import(by=actor, content=path.read_bytes(), filename=path.name, dry_run=dry_run)
        except OSError as exc:
            message = _("导入失败：无法读取文件 %(file)s（%(why)s）") % {"file": file, "why": exc.strerror}
            raise CommandError(message) from exc
        except (RosterFileError, HeaderError) as exc:
            raise CommandError(_("导入失败：%(file)s：%(why)s") % {"file": path.name, "why": exc}) from exc
        except PermissionDenied as exc:
            raise CommandError(_("导入失败：%(why)s") % {"why": exc}) from exc
        if not report.ok:
            raise CommandError(_("导入失败，未写入任何数据：") + "\n" + "\n".join(str(e) for e in report.errors))
        self.stdout.write(self.style.SUCCESS(report.summary()))
