"""Tags of the phone's checklist page: the standard's once-rendered parts of an item (checklists.mobile.fragments)."""

from django import template

from ..mobile import fragments

register = template.Library()


@register.simple_tag
def item_text(item):
    """Write the item's description and rules."""
    return fragments.item_text_html(item)


@register.simple_tag
def item_fields(item):
    """Write the item's fields holding the worker's answers."""
    return fragments.item_fields_html(item)


@register.simple_tag
def hole(*parts):
    """Mark where an answer goes in a part rendered once (`_fields.html`); see fragments.Fragment."""
    return fragments.hole_marker(*parts)
