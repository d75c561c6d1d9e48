"""Template filters for numbers and times people read: {% load display %} then
{{ value|percent }}, {{ part|share:whole }}, {{ moment|local_time }}, {{ moment|local_date }} (smartsite.display)."""

from django import template

from .. import display

register = template.Library()

register.filter("percent", display.percent)
register.filter("local_time", display.local_time)
register.filter("local_date", display.local_date)


@register.filter
def share(part, whole):
    """Write part/whole as a percentage with two decimals."""
    return display.share(part, whole)
