/* Wagtail's own JavaScript strings (djangojs domain) that its zh_Hans catalog lacks, listed so that
   `make messages` keeps them in locale/zh_Hans/LC_MESSAGES/djangojs.po, where their Chinese is written.
   Never served or run: only makemessages reads this file (see wagtail_strings.py). */
gettext("%(time_zone_option)s: %(localized_time_zone_label)s");
gettext("(%(number)s new items in this menu)");
gettext("(1 new item in this menu)");
gettext("(New)");
gettext("A network error occurred.");
gettext("A server error occurred.");
gettext("Autosave in progress…");
gettext("Blocks");
gettext("Changes have been autosaved.");
gettext("Complex");
gettext("Error while sending preview data.");
gettext("Fair");
gettext("Good");
gettext("Insert a block");
gettext("Split block");
gettext("Write something or type ‘/’ to insert a block");
ngettext("%(num)s error", "%(num)s errors", 2);
ngettext("%(num)s min", "%(num)s mins", 2);
ngettext("%(num)s pixel", "%(num)s pixels", 2);
