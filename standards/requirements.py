"""The checks a field's definition asks of it (required, required_if, rule all, min, required text), each as
(verdict, message in the active language) with the field keys it depends on. Pure; the engine
(standards.evaluation) runs them. The messages are msgids shared with site/static/mobile/eval.js.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from .fields import option_labels
from .verdicts import Verdict

_Def = Mapping[str, Any]
_Fields = Mapping[str, _Def]
_Check = tuple[Verdict, str]


def _require_true(field: _Def, value: bool | None) -> _Check:
    """Require a yes/no field to be yes."""
    label = field["label"]
    if value is None:
        return Verdict.INCOMPLETE, _missing(label)
    if value:
        return Verdict.PASS, _("%(field)s：是") % {"field": label}
    return Verdict.FAIL, _("%(field)s：未满足（须为“是”）") % {"field": label}


def _missing(label: str) -> str:
    return _("未填写：%(fields)s") % {"fields": label}


def _require_true_if(field: _Def, condition: _Def, values: _Def) -> _Check:
    """Require a yes/no field to be yes when its condition field is yes."""
    state = values.get(condition["key"])
    if state is None:
        return Verdict.INCOMPLETE, _missing(condition["label"])
    if not state:
        message = _("%(field)s：不适用（%(condition)s：否）")
        return Verdict.PASS, message % {"field": field["label"], "condition": condition["label"]}
    return _require_true(field, values.get(field["key"]))


def _require_true_if_ticked(field: _Def, condition: _Def, option: str, values: _Def) -> _Check:
    """Require a yes/no field to be yes when an option of a choices field is ticked (``required_if: KEY.OPTION``)."""
    ticked = values.get(condition["key"])
    if ticked is None:
        return Verdict.INCOMPLETE, _missing(condition["label"])
    if option not in ticked:
        name = option_labels(condition).get(option, option)
        message = _("%(field)s：不适用（%(condition)s未勾选“%(option)s”）") % {
            "field": field["label"], "condition": condition["label"], "option": name}
        return Verdict.PASS, message
    return _require_true(field, values.get(field["key"]))


def _required_if(field: _Def, item_fields: _Fields, values: _Def) -> tuple[tuple[str, ...], _Check]:
    """Evaluate ``required_if: KEY`` (a yes/no field) or ``required_if: KEY.OPTION`` (an option of a choices field)."""
    condition_key, _, option = field["required_if"].partition(".")
    condition = item_fields[condition_key]
    keys = (field["key"], condition_key)
    if option:
        return keys, _require_true_if_ticked(field, condition, option, values)
    return keys, _require_true_if(field, condition, values)


def _require_all(field: _Def, ticked: list[str] | None, marks: Mapping[str, str]) -> _Check:
    """Require every option ticked or marked not applicable with a note."""
    label = field["label"]
    if ticked is None and not marks:
        return Verdict.INCOMPLETE, _missing(label)
    covered = set(ticked or ()) | set(marks)
    lacking = [name for key, name in option_labels(field).items() if key not in covered]
    if lacking:
        return Verdict.FAIL, _("%(field)s：未覆盖%(options)s") % {"field": label, "options": _("、").join(lacking)}
    return Verdict.PASS, _("%(field)s：已全部覆盖") % {"field": label}


def _require_min(field: _Def, ticked: list[str] | None, marks: Mapping[str, str], na_flags: bool) -> _Check:
    """Require at least ``min`` options ticked; not-applicable marks never count.

    Under a standard with ``na`` flags, a field answered only with marks is answered (and fails), not blank.
    """
    label, needed = field["label"], int(field["min"])
    marked = na_flags and bool(marks)
    if ticked is None and not marked:
        return Verdict.INCOMPLETE, _missing(label)
    count = len(ticked or ())
    if count >= needed:
        return Verdict.PASS, _("%(field)s：已选择%(count)s项") % {"field": label, "count": count}
    if marked:
        message = _("%(field)s：至少选择%(needed)s项（已选择%(count)s项，“本社区无此设施”不计入）")
    else:
        message = _("%(field)s：至少选择%(needed)s项（已选择%(count)s项）")
    return Verdict.FAIL, message % {"field": label, "needed": needed, "count": count}


def _require_text(field: _Def, text: str | None) -> _Check:
    """Require non-empty text."""
    if not text:
        return Verdict.INCOMPLETE, _missing(field["label"])
    return Verdict.PASS, _("%(field)s：已填写") % {"field": field["label"]}


def field_checks(
    field: _Def, item_fields: _Fields, values: _Def, marks: dict, na_flags: bool
) -> list[tuple[tuple[str, ...], _Check]]:
    """Return the requirement checks of one field with the keys each depends on."""
    key, kind, value = field["key"], field["kind"], values.get(field["key"])
    checks: list[tuple[tuple[str, ...], _Check]] = []
    if kind == "bool" and field.get("required"):
        checks.append(((key,), _require_true(field, value)))
    elif kind == "bool" and field.get("required_if"):
        checks.append(_required_if(field, item_fields, values))
    if kind == "choices" and field.get("rule") == "all":
        checks.append(((key,), _require_all(field, value, marks.get(key, {}))))
    if kind == "choices" and field.get("min") is not None:
        checks.append(((key,), _require_min(field, value, marks.get(key, {}), na_flags)))
    if kind == "text" and field.get("required"):
        checks.append(((key,), _require_text(field, value)))
    return checks
