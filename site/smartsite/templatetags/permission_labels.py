"""Permissions named in the reader's language on Wagtail's group form: {% load permission_labels %} then
{{ permission|permission_label }} or {{ permission|permission_short_label }} (smartsite.permission_labels)."""

from django import template

from .. import permission_labels

register = template.Library()

register.filter("permission_label", permission_labels.permission_label)
register.filter("permission_short_label", permission_labels.permission_short_label)
