"""One way to write numbers and times for people (issue 20): percentages with two decimals, local times to the
minute in Asia/Shanghai. Machine outputs (JSON, CSV columns of the contract, logs) keep ISO 8601 and plain numbers.

    percent(92.5)                          -> "92.50%"
    share(37, 40)                          -> "92.50%"
    local_time("2026-12-07T06:50:36Z")     -> "2026-12-07 14:50"
    local_date(a datetime or a date)       -> "2026-12-07"

Each returns "" for None (a template shows its own placeholder) and the same text in every language: the figures
are written the way the province's documents write them, not by the active locale.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

Number = int | Decimal | Fraction | float | str
PERCENT_PLACES = 2
TIME_FORMAT = "%Y-%m-%d %H:%M"
DATE_FORMAT = "%Y-%m-%d"


def _decimal(value: Number) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        return Decimal(repr(value))  # the float's shortest text, not its binary expansion (92.5, not 92.4999…)
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"不是数字：{value!r}") from None


def _fixed(value: Decimal, places: int) -> str:
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0.00%"
    return f"{rounded:.{places}f}"


def percent(value: Number | None, places: int = PERCENT_PLACES) -> str:
    """Write a value already in percent as "92.50%" (half up, always `places` decimals, no space)."""
    if value is None or value == "":
        return ""
    return f"{_fixed(_decimal(value), places)}%"


def share(part: Number | None, whole: Number | None, places: int = PERCENT_PLACES) -> str:
    """Write part/whole as a percentage ("92.50%"), exactly (no float on the way); "" when whole is 0 or None."""
    if part is None or whole is None or _decimal(whole) == 0:
        return ""
    exact = Fraction(_decimal(part)) * 100 / Fraction(_decimal(whole))
    return percent(exact, places)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)  # Asia/Shanghai: every reader is in Shandong, whatever the server's zone


def _moment(value: datetime | date | str) -> datetime | date:
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"不是 ISO 8601 时间：{value!r}") from None
    return value


def _local(value: datetime) -> datetime:
    if timezone.is_naive(value):  # a naive time is taken as already local (as Django does with USE_TZ off)
        return value.replace(tzinfo=_zone())
    return value.astimezone(_zone())


def local_time(value: datetime | date | str | None) -> str:
    """Write a moment as "2026-12-07 14:50" in Asia/Shanghai (a date alone as "2026-12-07")."""
    if value is None or value == "":
        return ""
    moment = _moment(value)
    if not isinstance(moment, datetime):
        return moment.strftime(DATE_FORMAT)
    return _local(moment).strftime(TIME_FORMAT)


def local_date(value: datetime | date | str | None) -> str:
    """Write the local (Asia/Shanghai) day of a moment, or a date, as "2026-12-07"."""
    if value is None or value == "":
        return ""
    moment = _moment(value)
    if isinstance(moment, datetime):
        moment = _local(moment)
    return moment.strftime(DATE_FORMAT)
