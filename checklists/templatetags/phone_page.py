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


@register.simple_tag(takes_context=True)
def item_photos(context, item):
    """Write the item's photos as this page shows them (its base address, the viewer's rights)."""
    return fragments.item_photos_html(
        item, base=context["base"], can_edit=context["access"].can_edit, show_sensitive=context["show_sensitive"],
        min_photos=context["min_photos"],
    )


@register.simple_tag(takes_context=True)
def item_actions(context, item):
    """Write the item's buttons."""
    return fragments.item_actions_html(item, base=context["base"])


@register.simple_tag
def hole(*parts):
    """Mark where an answer goes in a part rendered once (`_fields.html`); see fragments.Fragment."""
    return fragments.hole_marker(*parts)
