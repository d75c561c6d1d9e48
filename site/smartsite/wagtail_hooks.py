"""Wagtail's own frame, in the reader's language."""

import copy

from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.utils.version import get_main_version


@hooks.register("construct_help_menu")
def whats_new_in_the_readers_language(request, items):
    """Wagtail formats this item's label once, in the language of the first request after start-up, so an English
    reader after a Chinese one saw "Wagtail 8.0 的新功能". Label a copy (the registered item is shared) per request."""
    version = get_main_version(include_patch=False)
    for index, item in enumerate(items):
        if item.name == f"whats-new-in-wagtail-{version}":
            items[index] = copy.copy(item)
            items[index].label = _("What's new in Wagtail %(version)s") % {"version": version}
