"""Evaluate one item of the smart-community standard (a dict as in the YAML) against entered values.

Pure and exact: int, Decimal and Fraction only; floats are read through ``str()`` and never compared.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from .fields import (
    FieldIssue,
    InputError,
    clean_values,
    definition_number,
    field_label,
    fields_by_key,
    format_percent,
    is_blank,
    parse_decimal,
    plain_number,
)
from .marks import clean_not_applicable
from .requirements import field_checks
from .verdicts import VERDICT_LABELS as VERDICT_LABELS  # re-exported: callers read the words here
from .verdicts import Verdict

_Def = Mapping[str, Any]
_Fields = Mapping[str, _Def]
PHOTOS_FIELD = "photos"
PHOTOS_LABEL = gettext_noop("照片佐证")
_BLOCKED = gettext_noop("输入有误，无法判断")
# "<label>：<error>", the shape of every message about one field or rule (also in standards.fields and .marks)
PROBLEM = gettext_noop("%(field)s：%(error)s")
# The messages are Chinese-source msgids shared with site/static/mobile/eval.js (the djangojs catalog carries the
# same English), so the phone's live verdict reads as the server's in either language.
_REACHES = gettext_noop("%(label)s：%(shown)s 达到 %(limit)s")
_BELOW = gettext_noop("%(label)s：%(shown)s 未达到 %(limit)s")
_EXCEEDS = gettext_noop("%(label)s：%(shown)s 超过 %(limit)s")
_NOT_ABOVE = gettext_noop("%(label)s：%(shown)s 未超过 %(limit)s")
# op -> (comparison, symbol, message when it holds, message when it does not)
_OPS: dict[str, tuple[Callable[[Fraction, Fraction], bool], str, str, str]] = {
    "ge": (operator.ge, "≥", _REACHES, _BELOW),
    "gt": (operator.gt, ">", _EXCEEDS, _NOT_ABOVE),
    "le": (operator.le, "≤", _NOT_ABOVE, _EXCEEDS),
}
_OPERANDS = {"ratio": ("numerator", "denominator"), "reduction": ("baseline", "actual"), "value": ("field",)}


@dataclass(frozen=True)
class RuleOutcome:
    key: str
    label: str
    verdict: Verdict
    percent: Fraction | None
    message: str


@dataclass(frozen=True)
class RequirementOutcome:
    field: str
    label: str
    verdict: Verdict
    message: str


@dataclass(frozen=True)
class ItemEvaluation:
    number: int
    verdict: Verdict
    rules: tuple[RuleOutcome, ...]
    requirements: tuple[RequirementOutcome, ...]
    errors: tuple[FieldIssue, ...]
    values: dict

    @property
    def passed(self) -> bool:
        """Return whether every rule and requirement holds."""
        return self.verdict is Verdict.PASS

    @property
    def complete(self) -> bool:
        """Return whether the item is filled in: nothing needed for a verdict is missing and no input is wrong.

        The one definition of "complete": stored on the result, counted on the checklist, required to submit.
        """
        outcomes = (*self.rules, *self.requirements)
        return not self.errors and Verdict.INCOMPLETE not in {outcome.verdict for outcome in outcomes}

    @property
    def reasons(self) -> list[str]:
        """Return one message per input error and per outcome that did not pass, each once, in the active language.

        Two checks can wait on the same blank field (v2 item 7: 社区有大屏设备 is both asked for and the
        condition of 大屏设备日常能够正常使用), and every reader of the list (提交全部, the stored evaluation the
        bureau's pages show) would otherwise say "未填写：社区有大屏设备" twice.
        """
        reasons = [issue.message for issue in self.errors]
        outcomes = (*self.rules, *self.requirements)
        reasons += [outcome.message for outcome in outcomes if outcome.verdict is not Verdict.PASS]
        return list(dict.fromkeys(reasons))


def _operands(rule: _Def) -> tuple[str, ...]:
    """Return the field keys a rule reads, in display order."""
    if rule["kind"] not in _OPERANDS:
        raise ValueError(f"unknown rule kind {rule['kind']!r} for {rule.get('key')!r}")
    return tuple(rule[name] for name in _OPERANDS[rule["kind"]])


def _exact(raw: Any) -> Fraction | None:
    """Read a cleaned (or raw) operand exactly; None when not entered."""
    if is_blank(raw):
        return None
    if type(raw) is int and raw >= 0:
        return Fraction(raw)
    return Fraction(parse_decimal(raw, {}))  # rejects negatives, bools and more than 2 places


def _limit(rule: _Def) -> Fraction:
    """Return a rule's threshold: percent for ratio/reduction, the value for value rules."""
    return definition_number(rule["value"] if rule["kind"] == "value" else rule["percent"])


def _limit_text(rule: _Def, fields: _Fields) -> str:
    """Show a rule's threshold with its unit, e.g. "60%" or "15分钟"."""
    if rule["kind"] != "value":
        return f"{plain_number(_limit(rule))}%"
    unit = fields.get(rule["field"], {}).get("unit", "")
    number = plain_number(_limit(rule))
    return f"{number} {unit}" if unit.isascii() and unit else f"{number}{unit}"


def _judge(rule: _Def, fields: _Fields, measured: Fraction, shown: str) -> tuple[Verdict, str]:
    """Compare a measured value with the rule's threshold and phrase the result."""
    if rule["op"] not in _OPS:
        raise ValueError(f"unknown op {rule['op']!r} for {rule['key']!r}")
    compare, _symbol, holds_text, fails_text = _OPS[rule["op"]]
    holds = compare(measured, _limit(rule))
    message = _(holds_text if holds else fails_text) % {
        "label": rule["label"], "shown": shown, "limit": _limit_text(rule, fields)}
    return (Verdict.PASS if holds else Verdict.FAIL), message


def _ratio(rule: _Def, fields: _Fields, numbers: list[Fraction]) -> RuleOutcome:
    """Evaluate numerator / denominator against a percentage."""
    numerator, denominator = numbers
    num_label, den_label = (field_label(fields, key) for key in _operands(rule))
    if denominator == 0:
        message = _("%(rule)s：%(denominator)s为0，分母不能为0") % {"rule": rule["label"], "denominator": den_label}
        return _outcome(rule, Verdict.INVALID, message)
    if numerator > denominator and rule.get("may_exceed") is not True:
        message = _("%(rule)s：%(numerator)s（%(n)s）不能大于%(denominator)s（%(d)s）") % {
            "rule": rule["label"], "numerator": num_label, "n": plain_number(numerator),
            "denominator": den_label, "d": plain_number(denominator)}
        return _outcome(rule, Verdict.INVALID, message)
    percent = numerator / denominator * 100
    return _outcome(rule, *_judge(rule, fields, percent, format_percent(percent)), percent)


def _reduction(rule: _Def, fields: _Fields, numbers: list[Fraction]) -> RuleOutcome:
    """Evaluate (baseline - actual) / baseline against a percentage."""
    baseline, actual = numbers
    if baseline == 0:
        message = _("%(rule)s：%(field)s必须大于0") % {
            "rule": rule["label"], "field": field_label(fields, rule["baseline"])}
        return _outcome(rule, Verdict.INVALID, message)
    percent = (baseline - actual) / baseline * 100
    return _outcome(rule, *_judge(rule, fields, percent, format_percent(percent)), percent)


def _value(rule: _Def, fields: _Fields, numbers: list[Fraction]) -> RuleOutcome:
    """Evaluate a field's own value against the rule's value."""
    shown = _limit_text({**rule, "value": numbers[0]}, fields)
    return _outcome(rule, *_judge(rule, fields, numbers[0], f"{field_label(fields, rule['field'])} {shown}"))


def _outcome(rule: _Def, verdict: Verdict, message: str, percent: Fraction | None = None) -> RuleOutcome:
    """Build a RuleOutcome for a rule definition."""
    return RuleOutcome(rule["key"], rule["label"], verdict, percent, message)


def evaluate_rule(rule: dict, values: dict, fields: Sequence[_Def] | None = None) -> RuleOutcome:
    """Evaluate one rule on cleaned values; ``fields`` supplies labels and units."""
    by_key = fields_by_key(fields)
    keys = _operands(rule)
    numbers: list[Fraction | None] = []
    for key in keys:
        try:
            numbers.append(_exact(values.get(key)))
        except InputError as exc:
            message = _("%(rule)s：%(field)s%(error)s") % {
                "rule": rule["label"], "field": field_label(by_key, key), "error": exc}
            return _outcome(rule, Verdict.INVALID, message)
    missing = [field_label(by_key, key) for key, number in zip(keys, numbers, strict=True) if number is None]
    if missing:
        return _outcome(rule, Verdict.INCOMPLETE, _("未填写：%(fields)s") % {"fields": _("、").join(missing)})
    return {"ratio": _ratio, "reduction": _reduction, "value": _value}[rule["kind"]](rule, by_key, numbers)


def describe_rule(rule: dict, fields: Sequence[_Def] | None = None) -> str:
    """Describe a rule's formula in the reader's language, e.g. "A / B ≥ 60%"."""
    by_key = fields_by_key(fields)
    names = dict(zip("ab", (field_label(by_key, key) for key in _operands(rule)), strict=False))
    formula = {"ratio": "%(a)s / %(b)s", "reduction": _("（%(a)s − %(b)s）/ %(a)s"), "value": "%(a)s"}[rule["kind"]]
    return f"{formula % names} {_OPS[rule['op']][1]} {_limit_text(rule, by_key)}"


def _requirements(
    item: _Def, values: _Def, marks: dict, invalid: set[str], na_flags: bool
) -> list[RequirementOutcome]:
    """Evaluate the required/required_if/all/min checks of every field."""
    by_key = fields_by_key(item.get("fields"))
    outcomes: list[RequirementOutcome] = []
    for field in item.get("fields", ()):
        for keys, (verdict, message) in field_checks(field, by_key, values, marks, na_flags):
            if invalid.intersection(keys):
                verdict, message = Verdict.INVALID, _(PROBLEM) % {"field": field["label"], "error": _(_BLOCKED)}
            outcomes.append(RequirementOutcome(field["key"], field["label"], verdict, message))
    return outcomes


def _photo_requirement(photo_count: int, min_photos: int) -> RequirementOutcome:
    """Require at least ``min_photos`` photos as evidence."""
    enough = photo_count >= min_photos
    if enough:
        message = ngettext("已上传%(count)s张照片", "已上传%(count)s张照片", photo_count) % {"count": photo_count}
    else:
        message = ngettext("至少上传%(count)s张照片作为佐证", "至少上传%(count)s张照片作为佐证", min_photos) % {
            "count": min_photos}
    return RequirementOutcome(
        PHOTOS_FIELD, _(PHOTOS_LABEL), Verdict.PASS if enough else Verdict.INCOMPLETE, message
    )


def _item_rule(item: _Def, rule: dict, values: dict, invalid: set[str]) -> RuleOutcome:
    """Evaluate a rule unless one of its fields had an input error."""
    if invalid.intersection(_operands(rule)):
        return _outcome(rule, Verdict.INVALID, _(PROBLEM) % {"field": rule["label"], "error": _(_BLOCKED)})
    return evaluate_rule(rule, values, item.get("fields", ()))


def _overall(errors: tuple[FieldIssue, ...], outcomes: Iterable[RuleOutcome | RequirementOutcome]) -> Verdict:
    """Combine outcomes: invalid, then incomplete, then fail, else pass."""
    verdicts = {outcome.verdict for outcome in outcomes} | ({Verdict.INVALID} if errors else set())
    order = (Verdict.INVALID, Verdict.INCOMPLETE, Verdict.FAIL)
    return next((verdict for verdict in order if verdict in verdicts), Verdict.PASS)


def evaluate_item(
    item: dict,
    raw_values: dict,
    not_applicable: dict | None = None,
    *,
    na_flags: bool,
    photo_count: int | None = None,
    min_photos: int = 1,
) -> ItemEvaluation:
    """Evaluate one item's rules, requirements and evidence on raw entered values.

    ``na_flags`` is the standard's (StandardVersion.na_flags, standards.marks.uses_na_flags): whether only
    options flagged ``na: true`` may be marked not applicable (version 2 on) or any option may (version 1).
    """
    values, errors = clean_values(item, raw_values or {})
    marks, mark_errors = clean_not_applicable(item, not_applicable or {}, values, na_flags=na_flags)
    errors += mark_errors
    invalid = {issue.field for issue in errors}
    rules = tuple(_item_rule(item, rule, values, invalid) for rule in item.get("rules", ()))
    requirements = _requirements(item, values, marks, invalid, na_flags)
    if photo_count is not None:
        requirements.append(_photo_requirement(photo_count, min_photos))
    verdict = _overall(errors, (*rules, *requirements))
    return ItemEvaluation(int(item["number"]), verdict, rules, tuple(requirements), errors, values)


def _percent_text(percent: Fraction | None) -> str | None:
    return None if percent is None else str(Decimal(percent.numerator) / percent.denominator)


def summary(evaluation: ItemEvaluation) -> dict:
    """Return the engine's verdict as JSON (stored on the result, sent to the phone), with its words."""
    return with_labels({
        "verdict": evaluation.verdict.value,
        "complete": evaluation.complete,
        "reasons": evaluation.reasons,
        "rules": [
            {"key": r.key, "label": r.label, "verdict": r.verdict.value, "message": r.message,
             "percent": _percent_text(r.percent)}
            for r in evaluation.rules
        ],
        "requirements": [
            {"field": r.field, "label": r.label, "verdict": r.verdict.value, "message": r.message}
            for r in evaluation.requirements
        ],
        "errors": [{"field": e.field, "message": e.message} for e in evaluation.errors],
    })


def with_labels(stored: dict) -> dict:
    """Add the verdict words to a summary (also to one stored before the words were part of it)."""
    stored["verdict_label"] = Verdict(stored["verdict"]).label
    for outcome in (*stored.get("rules", ()), *stored.get("requirements", ())):
        outcome["verdict_label"] = Verdict(outcome["verdict"]).label
    return stored
