"""The province overview: every city and county with total, band and category scores, sortable (pure sorting
over the selectors' figures)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from standards.models import Round

from .document import summary
from .regions import Region
from .selectors import results_for

COLUMNS = {"code": _("代码"), "name": _("名称"), "level": _("级别"), "total": _("总分"), "star": _("星级"),
           "missing": _("缺项数")}


def summaries(round_: Round, regions: list[Region]) -> list[dict[str, Any]]:
    """Return the headline figures of each region (live; no planner, so ~156 regions stay quick)."""
    return [summary(result) for result in results_for(round_, regions, plan=False)]


def _value(row: dict[str, Any], key: str) -> Any:
    if key in ("code", "name", "level"):
        return row["region"][key]
    if key in ("total", "missing"):
        return row[key]
    if key == "star":
        return row["star"] or 0
    return next((c["points"] for c in row["categories"] if c["key"] == key), 0)


def sort_keys(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Return the columns one may sort by: the fixed ones and each category."""
    categories = {c["key"]: c["label"] for c in rows[0]["categories"]} if rows else {}
    return {**COLUMNS, **categories}


def sorted_rows(rows: list[dict[str, Any]], key: str, descending: bool) -> list[dict[str, Any]]:
    """Sort by one column (ties by code); an unknown column sorts by code."""
    if key not in sort_keys(rows):
        key = "code"
    by_code = sorted(rows, key=lambda row: (row["region"]["level"], row["region"]["code"]))
    return sorted(by_code, key=lambda row: _value(row, key), reverse=descending)
