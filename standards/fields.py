"""Read the values a worker typed into an item's fields (as the standard's YAML defines them) exactly.

int, Decimal and Fraction only; floats are read through ``str()`` and never compared. Numbers are measured by
intake.numbers before anything parses them, so an overlong value costs nothing and is named 数值过长.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from intake import numbers

_Def = Mapping[str, Any]
_Fields = Mapping[str, _Def]

# Larger inputs are typos, and capping them keeps Decimal/Fraction work bounded.
MAX_INTEGER_DIGITS = 15

_CENT = Decimal("0.01")
_INTEGER = re.compile(r"[0-9]+")
_TRUE_WORDS = frozenset({"true", "on", "1", "yes", "y", "是"})
_FALSE_WORDS = frozenset({"false", "off", "0", "no", "n", "否"})
@dataclass(frozen=True)
class FieldIssue:
    field: str
    message: str


class InputError(ValueError):
    """Carry the message (in the active language) for one unusable input."""


def format_percent(p: Fraction, places: int = 2) -> str:
    """Format a percentage rounded half-up, e.g. ``Fraction(20)`` -> ``"20.00%"``."""
    return f"{round_half_up(p, places)}%"


def round_half_up(value: Fraction, places: int) -> Decimal:
    """Round an exact fraction half away from zero to a Decimal with ``places`` places."""
    scaled = abs(value) * 10**places
    units = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    sign = -1 if value < 0 and units else 1
    return Decimal(sign * units).scaleb(-places)


def plain_number(value: Fraction) -> str:
    """Show a number without trailing zeros, e.g. 15.10 -> "15.1"."""
    if value.denominator == 1:
        return str(value.numerator)
    return format(round_half_up(value, 2).normalize(), "f")


def definition_number(raw: Any) -> Fraction:
    """Read a threshold from the standard's definition exactly."""
    if isinstance(raw, int | Fraction) and not isinstance(raw, bool):
        return Fraction(raw)
    return Fraction(Decimal(str(raw)))  # Decimal("True") raises, so bools are rejected


def normalize(text: str) -> str:
    """Fold full-width characters and trim, as typed with Chinese input methods."""
    return unicodedata.normalize("NFKC", text).strip()


def is_blank(raw: Any) -> bool:
    """Return whether a raw value counts as not entered."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _bounded_text(raw: Any) -> str:
    """Return the raw value as text, refusing a number too long to read (str() of a huge int itself raises)."""
    try:
        return numbers.text_of(raw)  # str(True) is "True", so bools are rejected by the parsers below
    except numbers.NumberError as exc:
        raise InputError(exc.message) from None


def _parse_count(raw: Any, field: _Def) -> int:
    """Parse a non-negative integer; "12.0" is rejected on purpose."""
    text = normalize(_bounded_text(raw))
    if not _INTEGER.fullmatch(text):
        raise InputError(_("请输入非负整数"))
    digits = text.lstrip("0") or "0"
    if len(digits) > MAX_INTEGER_DIGITS:
        raise InputError(_("数值过大"))
    return int(digits)


def parse_decimal(raw: Any, field: _Def) -> Decimal:
    """Parse a non-negative decimal with at most two decimal places."""
    try:
        number = Decimal(normalize(_bounded_text(raw)))  # Decimal("True") raises, so bools are rejected
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise InputError(_("请输入数字"))
    if number < 0:
        raise InputError(_("不能为负数"))
    if number and number.adjusted() >= MAX_INTEGER_DIGITS:
        raise InputError(_("数值过大"))
    cents = number.quantize(_CENT)
    if cents != number:
        raise InputError(_("最多保留两位小数"))
    return abs(cents)


def _parse_bool(raw: Any, field: _Def) -> bool:
    """Parse yes/no from a bool, 0/1 or a form word such as "on" or "false"."""
    # str(True) is "True" and str(1) is "1", so bools and 0/1 share the word lists.
    word = normalize(str(raw)).lower() if isinstance(raw, str | int) else None
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise InputError(_("请选择“是”或“否”"))


def _parse_choices(raw: Any, field: _Def) -> list[str]:
    """Parse ticked option keys, returned in the standard's option order."""
    picked = [raw] if isinstance(raw, str) else raw
    if not isinstance(picked, list | tuple | set | frozenset):
        raise InputError(_("格式有误，应为选项列表"))
    options = option_labels(field)
    unknown = [str(key) for key in picked if not isinstance(key, str) or key not in options]
    if unknown:
        raise InputError(_("未知选项：%(options)s") % {"options": _("、").join(unknown)})
    return [key for key in options if key in picked]


def _parse_text(raw: Any, field: _Def) -> str:
    """Parse free text, trimmed."""
    if not isinstance(raw, str):
        raise InputError(_("请输入文字"))
    return raw.strip()


_PARSERS: dict[str, Callable[[Any, _Def], Any]] = {
    "count": _parse_count,
    "decimal": parse_decimal,
    "bool": _parse_bool,
    "choices": _parse_choices,
    "text": _parse_text,
}


def option_labels(field: _Def) -> dict[str, str]:
    """Map a choices field's option keys to labels, in order."""
    return {option["key"]: option["label"] for option in field.get("options", ())}


def fields_by_key(fields: Iterable[_Def] | None) -> dict[str, _Def]:
    """Index field definitions by key."""
    return {field["key"]: field for field in fields or ()}


def field_label(fields: _Fields, key: str) -> str:
    """Return a field's label, falling back to its key."""
    return fields[key]["label"] if key in fields else key


def clean_values(item: dict, raw: dict) -> tuple[dict, tuple[FieldIssue, ...]]:
    """Convert raw entered values to typed values; missing or bad ones become None."""
    cleaned: dict[str, Any] = {}
    issues: list[FieldIssue] = []
    for field in item.get("fields", ()):
        key, kind = field["key"], field["kind"]
        if kind not in _PARSERS:
            raise ValueError(f"unknown field kind {kind!r} for {key!r}")
        cleaned[key] = None
        if is_blank(raw.get(key)):
            continue
        try:
            cleaned[key] = _PARSERS[kind](raw[key], field)
        except InputError as exc:
            issues.append(FieldIssue(key, _("%(field)s：%(error)s") % {"field": field["label"], "error": exc}))
    return cleaned, tuple(issues)
