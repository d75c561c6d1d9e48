"""Drill-down helpers of the coverage dashboard: a street's facts, why a community is not counted, where each
community sits, and the community x item heat map."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from communities.counting import KIND_BY_NAME, STANDING_LABELS, Standing, standing
from communities.models import COUNTED_STREET_KINDS, StreetKind

from . import rollup as engine
from . import selectors as q
from .charts import plain_bar

# What a heat-map cell shows besides its colour (the full label is its tooltip and in the legend).
# 审 and 草 are one-character words, so English gets a letter each.
CELL_MARKS = {q.PASSED: "✓", q.FAILED: "✗", q.PENDING: pgettext_lazy("热力图标记：待审核", "审"),
              q.DRAFT: pgettext_lazy("热力图标记：草稿", "草"), q.EMPTY: "–"}


def street_facts(street: dict) -> dict:
    """Return a street's kind in words, whether its communities can count (街道, 类似乡级单位) and its bar."""
    return {"kind_label": StreetKind(street["kind"]).label, "counted_kind": street["kind"] in COUNTED_STREET_KINDS,
            "bar": plain_bar(street["smart_communities"], street["communities"])}


def standing_label(report: engine.Report, community: dict) -> str:
    """Return why a listed community is not counted ("" when it is): 村委会, or under 镇/乡."""
    if community["in_scope"]:
        return ""
    street = report.streets.get(report.community_streets.get(community["code"]), {})
    kind = KIND_BY_NAME.get(community.get("kind", ""), "")
    where = standing(kind=kind, street_kind=street.get("kind"))
    return str(STANDING_LABELS[where if where is not Standing.COUNTED else Standing.RURAL])


def review_url(result) -> str:
    """Return the district review page of a result, when the review screens are installed."""
    if result is None:
        return ""
    try:
        return reverse("review:inspect", args=[result.pk])
    except NoReverseMatch:
        return ""


def placed(report: engine.Report, communities: list[dict]) -> list[dict]:
    """Return the communities with their street and unit names, which tell same-named communities apart."""
    units = {u["code"]: u["name"] for u in report.data["units"]}
    return [
        {**c, "unit_name": units.get(c["unit_code"], ""), "not_counted": standing_label(report, c),
         "street_name": report.streets.get(report.community_streets.get(c["code"]), {}).get("name", "")}
        for c in communities
    ]


def heatmap(view, report: engine.Report, communities: list[dict]) -> dict:
    """Return the community x item grid: one coloured cell per item, a row per community."""
    letters = report.matrix([c["code"] for c in communities])
    standard = view.round.standard
    return {
        "items": [{"number": n, "name": standard.item(n)["name"]} for n in report.items],
        "rows": [
            {**c, "url": view.link("coverage:community", c["code"]),
             "cells": [(n, letter, q.CELL_LABELS[letter], CELL_MARKS[letter])
                       for n, letter in zip(report.items, letters[c["code"]], strict=True)]}
            for c in placed(report, communities)
        ],
        "legend": list(q.CELL_LABELS.items()),
    }
