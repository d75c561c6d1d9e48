"""The "本社区无此设施" (not applicable) marks on a choices field's options: which options may carry one, and
reading the marks a worker entered (option -> note).

Version 1 of the community standard let any option of a choices field be marked. From version 2 on, the
standard flags the options a community may simply not have (`na: true`) and only those may be marked. Which
reading applies is a property of the whole standard (`uses_na_flags`), given to the engine as `na_flags`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .fields import FieldIssue, field_label, fields_by_key, option_labels

_Def = Mapping[str, Any]
NA_NOTE_REQUIRED = gettext_noop("请填写“本社区无此设施”的说明")


def uses_na_flags(standard: _Def) -> bool:
    """Return whether the standard says option by option which may be marked not applicable (`na`).

    The one definition of which semantics a version has: the engine, the phone's script (sent the flag), the
    services, the results import and the demo generator all take it from here, through StandardVersion.na_flags.
    """
    return any(
        isinstance(option, Mapping) and "na" in option
        for item in standard.get("items") or ()
        for field in item.get("fields") or ()
        for option in field.get("options") or ()
    )


def option_na_allowed(field: _Def, option: _Def, *, na_flags: bool) -> bool:
    """Return whether the engine accepts a not-applicable mark on this option of a choices field."""
    if field.get("kind") != "choices":
        return False
    return option.get("na") is True if na_flags else True


def field_na_allowed(field: _Def, *, na_flags: bool) -> bool:
    """Return whether any option of the field may be marked not applicable."""
    return any(option_na_allowed(field, option, na_flags=na_flags) for option in field.get("options", ()))


def _clean_marks(
    field: _Def, marks: Any, ticked: Sequence[str], na_flags: bool
) -> tuple[dict[str, str], list[FieldIssue]]:
    """Validate one choices field's marks (option -> note)."""
    key, label = field["key"], field["label"]
    if not isinstance(marks, Mapping):
        return {}, [FieldIssue(key, _("%(field)s：“本社区无此设施”格式有误") % {"field": label})]
    options = option_labels(field)
    allowed = {o["key"] for o in field.get("options", ()) if option_na_allowed(field, o, na_flags=na_flags)}
    cleaned: dict[str, str] = {}
    issues: list[FieldIssue] = []
    for option, note in marks.items():
        where = _("%(field)s（%(option)s）") % {"field": label, "option": options.get(option, option)}
        if option not in options:
            problem = _("%(field)s：未知选项：%(option)s") % {"field": label, "option": option}
        elif option not in allowed:
            problem = _("%(where)s：该项须实际具备，不能标记为“本社区无此设施”") % {"where": where}
        elif not isinstance(note, str) or not note.strip():
            problem = _("%(field)s：%(error)s") % {"field": where, "error": _(NA_NOTE_REQUIRED)}
        elif option in ticked:
            problem = _("%(where)s：已勾选的选项不能同时标记为“本社区无此设施”") % {"where": where}
        else:
            cleaned[option] = note.strip()
            continue
        issues.append(FieldIssue(key, problem))
    return cleaned, issues


def clean_not_applicable(
    item: _Def, raw: _Def, values: _Def, *, na_flags: bool
) -> tuple[dict[str, dict[str, str]], tuple[FieldIssue, ...]]:
    """Validate all not-applicable marks of an item against its cleaned values."""
    fields = fields_by_key(item.get("fields"))
    cleaned: dict[str, dict[str, str]] = {}
    issues: list[FieldIssue] = []
    for key, marks in raw.items():
        field = fields.get(key)
        if field is None or field["kind"] != "choices":
            message = _("%(field)s：不能标记为“本社区无此设施”") % {"field": field_label(fields, key)}
            issues.append(FieldIssue(key, message))
            continue
        cleaned[key], problems = _clean_marks(field, marks, values.get(key) or (), na_flags)
        issues += problems
    return cleaned, tuple(issues)
