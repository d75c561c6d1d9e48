"""Django's makemessages with the project's defaults, so that catalogs from several branches merge cleanly:
entries sorted by msgid, no source locations, no line wrapping, no obsolete entries, no creation date; the
project's ignore patterns always apply. `make messages` runs it for both domains (locale/README.md)."""

import re
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import makemessages

IGNORE = [".venv", "var", "media", "node_modules", "tests", "bench", "*.min.js"]


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--sort-output"]
    msguniq_options = [*makemessages.Command.msguniq_options, "--sort-output"]
    msgattrib_options = [*makemessages.Command.msgattrib_options, "--sort-output"]
    xgettext_options = [*makemessages.Command.xgettext_options, "--sort-output"]

    def handle(self, *args, **options):
        missing = [tool for tool in ("xgettext", "msgmerge", "msguniq", "msgattrib") if not shutil.which(tool)]
        if missing:
            raise CommandError(f"缺少 GNU gettext 工具：{'、'.join(missing)}（apt-get install gettext）")
        options.update(no_location=True, add_location=None, no_wrap=True, no_obsolete=True)
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *IGNORE]
        super().handle(*args, **options)
        for po in Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/*.po"):
            text = po.read_text(encoding="utf-8")
            po.write_text(re.sub(r'^"POT-Creation-Date: [^"]*"\n', "", text, flags=re.M), encoding="utf-8")
