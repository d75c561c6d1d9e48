"""The number intake: the length of a typed or imported number is looked at before anything reads it, exponent forms
are bounded, and what comes back is exact (and small enough for json.dumps)."""

import json
from decimal import Decimal

import pytest

from intake import numbers
from intake.numbers import MAX_DIGITS, NumberError

TOO_LONG = f"数值过长：最多{MAX_DIGITS}位数字"


@pytest.mark.parametrize("raw", [
    "9" * 600_000,  # the red team's template cell: int() of it takes seconds
    "9" * 5_000,
    "1" + "0" * MAX_DIGITS,  # 31 digits
    "0." + "1" * MAX_DIGITS,  # 31 digits, most of them decimals
    " " * 100 + "5",  # padding counts: the text is measured before it is stripped
    10**MAX_DIGITS,
    -(10**MAX_DIGITS),
    10**5000,  # str() of it would raise ValueError (Python's 4,300-digit limit)
    Decimal("1e200000"),
    Decimal("1e-200000"),
    1e300,
], ids=lambda raw: f"{type(raw).__name__}-{raw.bit_length() if isinstance(raw, int) else len(str(raw))}")
def test_a_number_too_long_to_read_is_refused_by_name(raw):
    with pytest.raises(NumberError) as refused:
        numbers.decimal_of(raw)
    assert refused.value.message == TOO_LONG


@pytest.mark.parametrize("raw, expected", [
    ("88.50", Decimal("88.50")), (" 12 ", Decimal(12)), ("-3", Decimal(-3)), (7, Decimal(7)),
    (Decimal("1E+2"), Decimal(100)), (0.1, Decimal("0.1")), ("9" * MAX_DIGITS, Decimal("9" * MAX_DIGITS)),
    ("abc", None), ("1e5", None), ("", None), (True, None), (None, None), (float("inf"), None), (Decimal("NaN"), None),
    ([1], None),
])
def test_numbers_within_the_bound_read_exactly(raw, expected):
    assert numbers.decimal_of(raw) == expected


def test_a_percent_sign_only_where_allowed():
    assert numbers.decimal_of("92.5%", percent_sign=True) == Decimal("92.5")
    assert numbers.decimal_of("92.5%") is None


def test_whole_numbers():
    assert numbers.integer_of("370102") == 370102 and numbers.integer_of(Decimal("4.0")) == 4
    assert numbers.integer_of("4.5") is None and numbers.integer_of("x") is None
    with pytest.raises(NumberError):
        numbers.integer_of("7" * 50)
    with pytest.raises(NumberError, match="最多6位数字"):
        numbers.integer_of("1234567", max_digits=6)


def test_text_of_measures_without_reading():
    assert numbers.text_of("  88.5 ") == "88.5" and numbers.text_of(12) == "12"
    assert numbers.text_of(Decimal("1E+2")) == "100" and numbers.text_of(True) == "True"
    for raw in ("1" * 600_000, 10**5000):
        with pytest.raises(NumberError, match=TOO_LONG):
            numbers.text_of(raw)


def test_json_hooks_bound_literals_and_keep_decimals_exact():
    document = json.loads('[12, 88.50, 1e2, -0.5]', parse_int=numbers.json_int, parse_float=numbers.json_float)
    assert document == [12, Decimal("88.50"), Decimal("1E+2"), Decimal("-0.5")]
    assert str(document[1]) == "88.50"
    for literal in ("9" * 5000, "1e200000", "1e-200000", "1.0e1234567", "0." + "1" * 40):
        with pytest.raises(NumberError, match=TOO_LONG):
            json.loads(literal, parse_int=numbers.json_int, parse_float=numbers.json_float)


@pytest.mark.parametrize("stored, typed", [
    ("370102001001", "370102001001"), ("370102001001.0", "370102001001"), ("3.70102001001E+11", "370102001001"),
    ("88.5", "88.5"), ("0.30000000000000004", "0.30000000000000004"), ("1E+200000", "1E+200000"),
    ("9" * 600_000, "9" * 600_000), ("not a number", "not a number"),
], ids=lambda text: text[:20])
def test_a_spreadsheet_number_comes_back_as_typed(stored, typed):
    assert numbers.cell_text(stored) == typed
