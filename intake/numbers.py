"""Numbers typed or imported (a form box, a JSON value, a spreadsheet cell), read only after their length.

Every path that turns text into a number comes here first, so a 600,000-digit value is refused in microseconds,
before any regex, int() or Decimal() sees it (int() of such text takes seconds and json.dumps refuses integers over
4,300 digits), and an exponent form such as 1e200000 is refused before it is expanded. Pure: no Django.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_DIGITS = 30  # digits of a number, integer and fraction together; the largest real count needs about twelve
_SLACK = 16  # characters of a typed number beyond its digits: sign, decimal point, percent sign, spaces
MAX_TEXT = MAX_DIGITS + _SLACK
_DECIMAL_TEXT = re.compile(r"([+-]?)(\d+)(?:\.(\d+))?")
_JSON_NUMBER = re.compile(r"-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?")
_EXPONENT_DIGITS = 6  # an exponent written with more digits is refused unread


class NumberError(ValueError):
    """A number refused before it was read; `message` is plain Chinese for the person who typed it."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def too_long(max_digits: int = MAX_DIGITS) -> NumberError:
    """Return the one error for a number with too many digits (however they were written)."""
    return NumberError(f"数值过长：最多{max_digits}位数字")


def text_of(raw: Any, *, max_digits: int = MAX_DIGITS) -> str:
    """Return a raw value as stripped text, refusing a number too long to read before looking at it.

    Text is measured by its length alone; an int, Decimal or float by its magnitude (str() of a huge int raises).
    """
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, str):
        if len(raw) > max_digits + _SLACK:
            raise too_long(max_digits)
        return raw.strip()
    if isinstance(raw, int | Decimal | float):
        number = decimal_of(raw, max_digits=max_digits)
        return str(raw) if number is None else format(number, "f")
    return str(raw)[: max_digits + _SLACK + 1]


def _digits(number: Decimal) -> int:
    """Return how many digits the number takes written out without an exponent (0.05: three)."""
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int):
        return 0
    whole = max(number.adjusted() + 1, 1)
    return whole + max(-exponent, 0)


def _bounded(number: Decimal, max_digits: int) -> Decimal:
    # adjusted() is free; the digit tuple is built only for numbers whose magnitude fits.
    if number.adjusted() >= max_digits or _digits(number) > max_digits or len(number.as_tuple().digits) > max_digits:
        raise too_long(max_digits)
    return number


def decimal_of(raw: Any, *, max_digits: int = MAX_DIGITS, percent_sign: bool = False) -> Decimal | None:
    """Read an int, a Decimal, a float (through its shortest text) or decimal text exactly.

    Return None when it is not a number (the caller names what was expected) and raise NumberError when it has
    more than `max_digits` digits. Text takes no exponent; with `percent_sign` a trailing % is allowed.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        if abs(raw) >= _power(max_digits):
            raise too_long(max_digits)
        return Decimal(raw)
    if isinstance(raw, Decimal):
        return _bounded(raw, max_digits) if raw.is_finite() else None
    if isinstance(raw, float):
        return _bounded(Decimal(repr(raw)), max_digits) if math.isfinite(raw) else None
    if not isinstance(raw, str):
        return None
    text = text_of(raw, max_digits=max_digits)
    if percent_sign and text.endswith("%"):
        text = text[:-1].strip()
    match = _DECIMAL_TEXT.fullmatch(text)
    if match is None:
        return None
    if len(match.group(2)) + len(match.group(3) or "") > max_digits:
        raise too_long(max_digits)
    return Decimal(text)


def integer_of(raw: Any, *, max_digits: int = MAX_DIGITS) -> int | None:
    """Read a whole number (an int, or text or a Decimal without a fraction); None when it is not one."""
    number = decimal_of(raw, max_digits=max_digits)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


_POWERS: dict[int, int] = {}


def _power(digits: int) -> int:
    if digits not in _POWERS:
        _POWERS[digits] = 10**digits
    return _POWERS[digits]


def json_int(text: str) -> int:
    """parse_int for json.loads: refuse an integer literal longer than MAX_DIGITS before int() reads it."""
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise too_long()
    return int(text)


def json_float(text: str) -> Decimal:
    """parse_float for json.loads: the literal as an exact Decimal (88.50 stays 88.50), its size bounded first."""
    match = _JSON_NUMBER.fullmatch(text) if len(text) <= MAX_TEXT else None
    if match is None or len(match.group(3) or "") > _EXPONENT_DIGITS:
        raise too_long()
    return _bounded(Decimal(text), MAX_DIGITS)


def cell_text(text: str) -> str:
    """Return a spreadsheet's stored number as the text a person typed: 370102001001.0 → "370102001001",
    3.7E+11 → "370000000000"; a stored value too long to read is returned as it is, for its reader to refuse."""
    if len(text) > MAX_TEXT:
        return text
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite() or _digits(number) > MAX_DIGITS:
        return text
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")
