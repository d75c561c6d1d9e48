/* Wagtail's own JavaScript strings (djangojs domain) that its zh_Hans catalog lacks, listed so that
   `make messages` keeps them in locale/zh_Hans/LC_MESSAGES/djangojs.po, where their Chinese is written.
   Never served or run: only makemessages reads this file (see wagtail_strings.py). */
gettext("(1 new item in this menu)");
gettext("(%(number)s new items in this menu)");
