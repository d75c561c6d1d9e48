"""Tags of the phone's checklist page: an item from its once-rendered parts (checklists.mobile.fragments)."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import mark_safe

from ..mobile import fragments

register = template.Library()


@register.simple_tag(takes_context=True)
def phone_item(context, item, open=False):
    """Write one item as this page shows it (its base address, the viewer's rights), with a fresh request id."""
    page = fragments.Page(
        base=context["base"], open=bool(open), can_edit=context["access"].can_edit,
        show_sensitive=context["show_sensitive"], min_photos=context["min_photos"],
    )
    # The same <input> {% csrf_token %} writes, and a new id per form (double posts are replays).
    csrf_input = CsrfTokenNode().render(context)
    html = fragments.item_html(item, page, csrf_input=csrf_input, request_id=str(context["fresh_id"]))
    # On a line of its own, as when the page included _item.html: the page stays the same to the byte.
    return mark_safe(f"\n{html}\n")


@register.simple_tag
def hole(*parts):
    """Mark where an answer goes in a part rendered once; see fragments.Fragment."""
    return fragments.hole_marker(*parts)
