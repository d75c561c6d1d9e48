"""Read raw (JSON-ish) input values into exact types, one input kind at a time; round for display.

Numbers are read by intake.numbers, which bounds their length before anything parses them, so a value of any
size from any path (page, JSONL, template) is refused in microseconds with 数值过长 and its input named.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from intake import numbers

Number = int | Decimal | Fraction
Value = int | Decimal | Fraction | bool | str

KINDS = ("percent", "decimal", "count", "rank", "percentile", "bool", "level")
NUMERIC_KINDS = ("percent", "decimal", "count", "rank", "percentile")
INTEGER_KINDS = ("count", "rank")
PLACES = 2  # decimals allowed in an entered percent, decimal or percentile
STEP = {"count": Decimal(1), "rank": Decimal(1)}  # smallest step of a kind; others: 0.01
DEFAULT_STEP = Decimal(1).scaleb(-PLACES)

_TRUE = {"true", "是"}
_FALSE = {"false", "否"}


class InputValueError(ValueError):
    """A raw value does not fit its input; `message` is plain Chinese for the user."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(f"{key}：{message}")


class InputValuesError(ValueError):
    """Several raw values of one indicator are wrong; `errors` maps input key to message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("；".join(f"{key}：{message}" for key, message in self.errors.items()))


def step(kind: str) -> Decimal:
    """Return the smallest step between two distinct values of a numeric kind."""
    return STEP.get(kind, DEFAULT_STEP)


def _decimal(spec: Mapping[str, Any], raw: Any, allow_percent_sign: bool) -> Decimal | None:
    """Read an int, a float (through its text) or a decimal string exactly; None when it is not a number."""
    try:
        return numbers.decimal_of(raw, percent_sign=allow_percent_sign)
    except numbers.NumberError as exc:
        raise InputValueError(spec["key"], exc.message) from None


def _places(number: Decimal) -> int:
    """Return how many decimals the number needs (trailing zeros do not count)."""
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _exact_decimal(spec: Mapping[str, Any], raw: Any, message: str) -> Decimal:
    """Read a decimal with at most PLACES decimals, or raise with `message`."""
    number = _decimal(spec, raw, allow_percent_sign=spec["kind"] in ("percent", "percentile"))
    if number is None:
        raise InputValueError(spec["key"], message)
    if _places(number) > PLACES:
        raise InputValueError(spec["key"], f"最多保留{PLACES}位小数")
    return number


def _integer(spec: Mapping[str, Any], raw: Any, message: str) -> int:
    number = _decimal(spec, raw, allow_percent_sign=False)
    if number is None or number != number.to_integral_value():
        raise InputValueError(spec["key"], message)
    return int(number)


def _percent(spec: Mapping[str, Any], raw: Any) -> Decimal:
    message = "请输入0到100之间的百分数"
    number = _exact_decimal(spec, raw, message)
    if not Decimal(0) <= number <= Decimal(100):
        raise InputValueError(spec["key"], message)
    return number


def _percentile(spec: Mapping[str, Any], raw: Any) -> Decimal:
    message = "请输入大于0且不大于100的百分位（前X%）"
    number = _exact_decimal(spec, raw, message)
    if not Decimal(0) < number <= Decimal(100):
        raise InputValueError(spec["key"], message)
    return number


def _decimal_kind(spec: Mapping[str, Any], raw: Any) -> Decimal:
    unit = f"（单位：{spec['unit']}）" if spec.get("unit") else ""
    message = f"请输入数字{unit}" if spec.get("signed") else f"请输入不小于0的数字{unit}"
    number = _exact_decimal(spec, raw, message)
    if number < 0 and not spec.get("signed"):
        raise InputValueError(spec["key"], message)
    return number


def _count(spec: Mapping[str, Any], raw: Any) -> int:
    number = _integer(spec, raw, "请输入不小于0的整数")
    if number < 0:
        raise InputValueError(spec["key"], "请输入不小于0的整数")
    return number


def _rank(spec: Mapping[str, Any], raw: Any) -> int:
    of = spec["of"]
    message = f"请输入1到{of}之间的整数名次"
    number = _integer(spec, raw, message)
    if not 1 <= number <= of:
        raise InputValueError(spec["key"], message)
    return number


def _bool(spec: Mapping[str, Any], raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = raw.strip().lower() if isinstance(raw, str) else None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise InputValueError(spec["key"], "请选择是（true）或否（false）")


def _level(spec: Mapping[str, Any], raw: Any) -> str:
    options = [option["key"] for option in spec["options"]]
    if isinstance(raw, str) and raw.strip() in options:
        return raw.strip()
    raise InputValueError(spec["key"], "请从以下选项中选择一项：" + "、".join(options))


_READERS = {
    "percent": _percent,
    "decimal": _decimal_kind,
    "count": _count,
    "rank": _rank,
    "percentile": _percentile,
    "bool": _bool,
    "level": _level,
}


def parse_value(spec: Mapping[str, Any], raw: Any) -> Value | None:
    """Read one raw value for the input `spec` exactly; None or blank text means unset."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    reader = _READERS.get(spec.get("kind", ""))
    if reader is None:
        raise InputValueError(spec.get("key", "?"), f"未知的输入类型 {spec.get('kind')}")
    return reader(spec, raw)


def parse_inputs(indicator: Mapping[str, Any], raw: Mapping[str, Any]) -> dict[str, Value | None]:
    """Read every raw value of one indicator; raise InputValuesError naming each bad or unknown key."""
    specs = {spec["key"]: spec for spec in indicator["inputs"]}
    errors = {key: "不是本指标的输入项" for key in raw if key not in specs}
    values: dict[str, Value | None] = {}
    for key, spec in specs.items():
        try:
            values[key] = parse_value(spec, raw.get(key))
        except InputValueError as exc:
            errors[key] = exc.message
    if errors:
        raise InputValuesError(errors)
    return values


def round_half_up(value: Number, places: int = PLACES) -> Decimal:
    """Round an exact number half away from zero to `places` decimals, for display only."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        raise TypeError(f"not an exact number: {value!r}")
    exact = Fraction(value)
    scaled = abs(exact) * 10**places
    whole = math.floor(scaled + Fraction(1, 2))
    return Decimal(-whole if exact < 0 else whole).scaleb(-places)
