"""The "本社区无此设施" (not applicable) marks on a choices field's options: which options may carry one, and
reading the marks a worker entered (option -> note).

Version 1 of the community standard let any option of a choices field be marked. From version 2 on, the
standard flags the options a community may simply not have (`na: true`) and only those may be marked. Which
reading applies is a property of the whole standard (`uses_na_flags`), given to the engine as `na_flags`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .fields import FieldIssue, field_label, fields_by_key, option_labels

_Def = Mapping[str, Any]
NA_NOTE_REQUIRED = "请填写“本社区无此设施”的说明"


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
        return {}, [FieldIssue(key, f"{label}：“本社区无此设施”格式有误")]
    options = option_labels(field)
    allowed = {o["key"] for o in field.get("options", ()) if option_na_allowed(field, o, na_flags=na_flags)}
    cleaned: dict[str, str] = {}
    issues: list[FieldIssue] = []
    for option, note in marks.items():
        where = f"{label}（{options.get(option, option)}）"
        if option not in options:
            issues.append(FieldIssue(key, f"{label}：未知选项：{option}"))
        elif option not in allowed:
            issues.append(FieldIssue(key, f"{where}：该项须实际具备，不能标记为“本社区无此设施”"))
        elif not isinstance(note, str) or not note.strip():
            issues.append(FieldIssue(key, f"{where}：{NA_NOTE_REQUIRED}"))
        elif option in ticked:
            issues.append(FieldIssue(key, f"{where}：已勾选的选项不能同时标记为“本社区无此设施”"))
        else:
            cleaned[option] = note.strip()
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
            issues.append(FieldIssue(key, f"{field_label(fields, key)}：不能标记为“本社区无此设施”"))
            continue
        cleaned[key], problems = _clean_marks(field, marks, values.get(key) or (), na_flags)
        issues += problems
    return cleaned, tuple(issues)
