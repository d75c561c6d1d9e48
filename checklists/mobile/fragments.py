"""The phone page's items, from parts rendered once per process and filled in on each request.

Most of an item is the same on every community's page: the standard's words (per version and language), and the
markup of its state, photos, verdict and buttons (per language and page). Rendering all of it through the template
engine on every GET was three quarters of the page's time (~110 template nodes per item, ~2,800 a page). So each
part's template (_item.html, _item_text.html, _fields.html, _photos.html, _photo.html, _verdict.html,
_verdict_line.html, _actions.html) is rendered once for what it shows, with holes (`{% hole %}`) where the
worker's answers, ids, messages and the request's tokens go; a request fills the holes with escaped values.
The markup stays in the templates; here are only the few attributes a field's hole can hold (checked, value).

Keys: the item's words (selectors.item_text.ItemText: one object per version checksum and language), the active
language and the page's flags; never an answer. The whole item was inside {% spaceless %}: each part is
spaceless'd once, and a hole's marker looks like a tag to it, so the page is the same to the byte.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed
from django.utils.html import conditional_escape, format_html, strip_spaces_between_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..models import Status
from ..selectors.mobile import FieldView, ItemView

# A hole's marker in the once-rendered HTML. NUL comes from no template's text, and an escaped value never holds
# "<"; the name between the NULs says which answer goes there. It looks like a tag to {% spaceless %}, so whitespace
# between it and a tag goes as it went when the answers were in the page before spaceless ran.
_HOLE = re.compile("<\x00hole:([^\x00]*)\x00>")
CHECKED = mark_safe(" checked")


def hole_name(*parts: str) -> str:
    """Return the name of a hole from its parts (what it holds, the field's key, the option's key)."""
    return "\x1f".join(str(p) for p in parts)


def hole_marker(*parts: str) -> SafeString:
    """Return the marker `{% hole %}` writes into the once-rendered HTML."""
    return mark_safe(f"<\x00hole:{hole_name(*parts)}\x00>")


class Fragment(NamedTuple):
    """Rendered HTML cut at its holes: texts[0], holes[0], texts[1], … texts[-1]."""

    texts: tuple[str, ...]
    holes: tuple[str, ...]

    def fill(self, values: dict[str, str]) -> SafeString:
        """Return the HTML with each hole replaced by its (already escaped) value; a hole without one is empty."""
        out = [self.texts[0]]
        for name, text in zip(self.holes, self.texts[1:], strict=True):
            value = values.get(name, "")
            if value.isspace() and out[-1].endswith(">") and text.startswith("<"):
                value = ""  # what {% spaceless %} made of whitespace alone between two tags (a blank note)
            out.append(value)
            out.append(text)
        return mark_safe("".join(out))


@receiver(file_changed, dispatch_uid="phone-fragments")
def _forget_rendered(sender, file_path, **kwargs) -> None:
    """Under runserver, render the parts again when a template changes (Django reloads templates, not these)."""
    if file_path.suffix == ".html":
        _rendered_once.cache_clear()


def _fragment(html: str) -> Fragment:
    pieces = _HOLE.split(html)
    return Fragment(tuple(pieces[0::2]), tuple(pieces[1::2]))


def rendered_once(template: str, **context) -> Fragment:
    """Return `template` rendered with `context` in the active language, cut at its holes; once per process.

    The context's values are the key (with the template and the language): words cached per version
    (ItemText, compared by identity) and the page's flags (bools, strings, numbers), never a worker's answer.
    """
    return _rendered_once(template, get_language(), tuple(sorted(context.items())))


# ~25 items × the states and pages an item is shown in × 2 languages fit; a few KB each.
@lru_cache(maxsize=2048)
def _rendered_once(template: str, language: str | None, context: tuple) -> Fragment:
    # As {% spaceless %} did to the whole item: every part of it is an item's part.
    return _fragment(strip_spaces_between_tags(render_to_string(template, dict(context)).strip()))


def _field_values(field: FieldView) -> dict[str, str]:
    """Return what goes in a field's holes, as `_fields.html` names them."""
    key = field.key
    if field.kind in ("count", "decimal"):
        prefilled = format_html("<small>{}</small>", _("已按社区登记的总户数预填，请核对")) if field.prefilled else ""
        return {hole_name("value", key): format_html(' value="{}"', field.value) if field.value else "",
                hole_name("prefilled", key): prefilled}
    if field.kind == "bool":
        return {hole_name("true", key): CHECKED if field.value == "true" else "",
                hole_name("false", key): CHECKED if field.value == "false" else ""}
    if field.kind == "choices":
        values = {}
        for o in field.options:
            values[hole_name("ticked", key, o.key)] = CHECKED if o.ticked else ""
            values[hole_name("na", key, o.key)] = CHECKED if o.na else ""
            values[hole_name("note", key, o.key)] = format_html(' value="{}"', o.na_note) if o.na_note else ""
        return values
    return {hole_name("text", key): conditional_escape(field.value)}


def item_fields_html(item: ItemView) -> SafeString:
    """Return the item's fields with the worker's answers (the inside of its <fieldset>)."""
    values = {}
    for field in item.fields:
        values.update(_field_values(field))
    return rendered_once("checklists/mobile/_fields.html", item=item.text).fill(values)


def item_photos_html(item: ItemView, *, base: str, can_edit: bool, show_sensitive: bool, min_photos: int) -> SafeString:
    """Return the item's photos: each photo's markup differs only by its id once its flags are known."""
    hidden = item.sensitive and not show_sensitive
    photos = []
    for p in item.photos:
        photo = rendered_once("checklists/mobile/_photo.html", base=base, can_edit=can_edit, hidden=hidden,
                              old=p.flag_old, duplicate=p.flag_duplicate, pending=p.original_pending)
        photos.append(photo.fill({"id": conditional_escape(p.id)}))
    block = rendered_once("checklists/mobile/_photos.html", can_edit=can_edit, min_photos=min_photos)
    return block.fill({"photos": mark_safe("".join(photos))})


def item_actions_html(item: ItemView, *, base: str) -> SafeString:
    """Return the item's buttons (撤回修改 only while it waits for review)."""
    actions = rendered_once("checklists/mobile/_actions.html", base=base, submitted=item.status == Status.SUBMITTED)
    return actions.fill({"n": conditional_escape(item.number)})


def _verdict_line(kind: str, outcome: dict) -> SafeString:
    line = rendered_once("checklists/mobile/_verdict_line.html", kind=kind, verdict=outcome.get("verdict", ""),
                         label=str(outcome.get("verdict_label", "")))
    message = conditional_escape(outcome["message"])
    return line.fill({"key": conditional_escape(outcome.get("key", "")), "message": message})


def verdict_html(evaluation: dict) -> SafeString:
    """Return the engine's verdict: every rule's outcome, the requirements not met, the entries in error."""
    lines = [_verdict_line("rule", r) for r in evaluation["rules"]]
    lines += [_verdict_line("requirement", r) for r in evaluation["requirements"] if r["verdict"] != "pass"]
    lines += [_verdict_line("error", r) for r in evaluation["errors"]]
    block = rendered_once("checklists/mobile/_verdict.html", verdict=evaluation["verdict"],
                          label=str(evaluation["verdict_label"]))
    return block.fill({"lines": mark_safe("".join(lines))})


class Page(NamedTuple):
    """What the page says of every item on it: its address, whether it shows one item, the viewer's rights."""

    base: str
    open: bool
    can_edit: bool
    show_sensitive: bool
    min_photos: int


def item_html(item: ItemView, page: Page, *, csrf_input: str, request_id: str) -> SafeString:
    """Return one item of the page, the worker's answers and this request's tokens in it."""
    skeleton = rendered_once(
        "checklists/mobile/_item.html", text=item.text, base=page.base, open=page.open, can_edit=page.can_edit,
        status=item.status, chip=item.chip, locked=item.locked, lock_note=item.lock_note, has_note=bool(item.note),
        has_reason=bool(item.return_reason),
    )
    values = {
        "reason": conditional_escape(item.return_reason), "csrf": csrf_input,
        "request_id": conditional_escape(request_id), "revision": conditional_escape(item.revision),
        "fields": item_fields_html(item), "note": conditional_escape(item.note),
        "photos": item_photos_html(item, base=page.base, can_edit=page.can_edit,
                                   show_sensitive=page.show_sensitive, min_photos=page.min_photos),
        "verdict": verdict_html(item.evaluation),
        "actions": item_actions_html(item, base=page.base) if page.can_edit else "",
    }
    return skeleton.fill(values)
