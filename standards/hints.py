"""What the standard asks of a field, in the words the phone shows beside it, as the engine reads that version."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from .marks import option_na_allowed

_Def = Mapping[str, Any]


def offers_na(field: _Def, option: _Def, *, na_flags: bool) -> bool:
    """Return whether the page offers 本社区无此设施 on this option: where every option counts and it may be marked."""
    return field.get("rule") == "all" and option_na_allowed(field, option, na_flags=na_flags)


def _all_hint(field: _Def, na_flags: bool) -> str:
    options = field.get("options", ())
    markable = [o["label"] for o in options if offers_na(field, o, na_flags=na_flags)]
    if not markable:
        return _("须全部具备")
    if len(markable) == len(options):
        return _("须全部具备；没有的请勾选“本社区无此设施”并说明")
    return _("须全部具备；%(options)s如没有，请勾选“本社区无此设施”并说明") % {"options": "、".join(markable)}


def _min_hint(field: _Def, na_flags: bool) -> str:
    marks_possible = na_flags and any(offers_na(field, o, na_flags=na_flags) for o in field.get("options", ()))
    return _("至少选择%(n)s项") % {"n": field["min"]} + (_("（“本社区无此设施”不计入）") if marks_possible else "")


def _required_if_hint(field: _Def, fields: Mapping[str, _Def]) -> str:
    target, _dot, option = field["required_if"].partition(".")
    if not option or target not in fields:
        return ""
    label = next((o["label"] for o in fields[target].get("options", ()) if o["key"] == option), option)
    return _("勾选“%(option)s”时须为“是”") % {"option": label}


def field_hint(field: _Def, fields: Mapping[str, _Def], *, na_flags: bool) -> str:
    """Return the hint for a field (empty when there is nothing to say); `fields` are the item's, by key."""
    hints = []
    if field.get("rule") == "all":
        hints.append(_all_hint(field, na_flags))
    if field.get("min") is not None:
        hints.append(_min_hint(field, na_flags))
    if not hints and field.get("required"):
        hints.append(_("须为“是”"))
    elif not hints and field.get("required_if"):
        hints.append(_required_if_hint(field, fields))
    return "；".join(hint for hint in hints if hint)
