"""Wagtail's own strings that its zh_Hans catalog lacks, listed here so that `make messages` keeps them in the
project's catalog (locale/zh_Hans/LC_MESSAGES/django.po), where their Chinese is written. Never imported: only
makemessages reads this file. The msgids are Wagtail's English, exactly (context and plural forms included);
the English catalog leaves them untranslated, so English sessions show Wagtail's own text.

Found by the language walker (tests/browser/test_languages.py) as each role, in a zh-hans session. Wagtail's
JavaScript strings (the sidebar's) are in wagtail_strings.js, the djangojs domain.
"""

from django.utils.translation import gettext_noop

STRINGS = [
    gettext_noop("Search all pages…"),
    gettext_noop("Wagtail %(current_version)s editor guide"),
]
