"""smartsite.display: percentages always with two decimals (half up, exact), local times to the minute in
Asia/Shanghai, and the template filters that carry them."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import Context, Template

from smartsite.display import local_date, local_time, percent, share


@pytest.mark.parametrize("value, text", [
    (92.5, "92.50%"), (Decimal("90"), "90.00%"), (25, "25.00%"), ("88.5", "88.50%"), (Fraction(1, 3), "0.33%"),
    (Decimal("72.725"), "72.73%"), (Decimal("72.724999"), "72.72%"), (0, "0.00%"), (Decimal("-0.001"), "0.00%"),
    (100, "100.00%"), (Decimal("1E+2"), "100.00%"), (None, ""), ("", ""),
])
def test_percent_has_two_decimals_half_up(value, text):
    assert percent(value) == text


def test_percent_float_rounds_its_shortest_text_not_its_binary_value():
    assert percent(2.675) == "2.68%"  # the binary double is 2.67499999…; people typed 2.675
    assert percent(0.1 + 0.2) == "0.30%"


def test_percent_refuses_what_is_not_a_number():
    with pytest.raises(ValueError, match="不是数字"):
        percent("九十")


@pytest.mark.parametrize("part, whole, text", [
    (37, 40, "92.50%"), (2, 3, "66.67%"), (1, 8, "12.50%"), (8, 11, "72.73%"), (0, 5, "0.00%"), (5, 5, "100.00%"),
    (1, 0, ""), (None, 4, ""), (3, None, ""), (Decimal("0.5"), 2, "25.00%"),
])
def test_share_is_exact(part, whole, text):
    assert share(part, whole) == text


SHANGHAI = timezone(timedelta(hours=8))


@pytest.mark.parametrize("value, text", [
    (datetime(2026, 12, 7, 6, 50, 36, tzinfo=UTC), "2026-12-07 14:50"),
    (datetime(2026, 12, 7, 14, 50, 59, tzinfo=SHANGHAI), "2026-12-07 14:50"),
    (datetime(2026, 12, 7, 14, 50), "2026-12-07 14:50"),  # naive: already local
    (datetime(2026, 12, 7, 20, 0, tzinfo=UTC), "2026-12-08 04:00"),  # the next day in Shandong
    ("2026-12-07T14:50:36+08:00", "2026-12-07 14:50"), ("2026-12-07T06:50:36Z", "2026-12-07 14:50"),
    (date(2026, 12, 7), "2026-12-07"), (None, ""), ("", ""),
])
def test_local_time(value, text):
    assert local_time(value) == text


def test_local_time_ignores_the_active_time_zone():
    """A background job or an admin user with another zone preference still writes Shandong's time."""
    from django.utils import timezone as dj_timezone

    with dj_timezone.override("Europe/London"):
        assert local_time(datetime(2026, 12, 7, 6, 50, tzinfo=UTC)) == "2026-12-07 14:50"


@pytest.mark.parametrize("value, text", [
    (datetime(2026, 12, 7, 20, 0, tzinfo=UTC), "2026-12-08"), (date(2026, 12, 7), "2026-12-07"),
    ("2026-12-07T23:59:00+08:00", "2026-12-07"), (None, ""),
])
def test_local_date(value, text):
    assert local_date(value) == text


def test_local_time_refuses_what_is_not_a_time():
    with pytest.raises(ValueError, match="ISO 8601"):
        local_time("下周一")


def test_template_filters():
    template = Template("{% load display %}{{ p|percent }} {{ a|share:b }} {{ t|local_time }} {{ t|local_date }}")
    context = Context({"p": Decimal("92.5"), "a": 8, "b": 11, "t": datetime(2026, 12, 7, 6, 50, tzinfo=UTC)})
    assert template.render(context) == "92.50% 72.73% 2026-12-07 14:50 2026-12-07"


def test_template_filters_write_the_same_in_english():
    from django.utils import translation

    template = Template("{% load display %}{{ p|percent }} {{ t|local_time }}")
    with translation.override("en"):
        text = template.render(Context({"p": 1234.5, "t": datetime(2026, 12, 7, 6, 50, tzinfo=UTC)}))
    assert text == "1234.50% 2026-12-07 14:50"
