"""The 智慧社区名单 of a round as a frozen document: per city and county-level unit, the communities that met all 25
items in approved answers. "Smart" is the coverage roll-up's own (`coverage.rollup.compute`): nothing is counted
again here; the document only groups and names what the roll-up found, with its counts, and is stored as
published (`SmartListPage.data`) so it never drifts."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.utils import timezone, translation

from communities.models import UnitKind
from coverage import rollup, scoring
from standards.models import Round


def percent(smart: int, total: int) -> str:
    """Return smart/total as the house's percentage text ("92.50"), rounded half-up from the exact fraction."""
    return f"{scoring.percent_display(scoring.coverage_fraction(smart, total)):.2f}"


def _community(entry: dict, computation: rollup.Computation) -> dict:
    street = computation.streets.get(computation.community_streets.get(entry["code"], ""), {})
    return {"code": entry["code"], "name": entry["name"], "street": street.get("name", ""),
            "in_scope": entry["in_scope"]}


def _unit(entry: dict, smart: list[dict]) -> dict:
    return {"code": entry["code"], "name": entry["name"], "kind": entry["kind"],
            "kind_label": _stored(UnitKind(entry["kind"]).label), "assessed_as": entry["assessed_as"],
            "communities": entry["communities"], "smart_communities": entry["smart_communities"],
            "coverage_percent": percent(entry["smart_communities"], entry["communities"]),
            "smart": sorted(smart, key=lambda c: c["code"])}


def build(round_: Round) -> dict:
    """Return the round's 智慧社区名单 as it stands now (the document a publication freezes)."""
    computation = rollup.compute(round_, detail=True)
    data = computation.data
    smart_by_unit: dict[str, list[dict]] = defaultdict(list)
    for entry in data["communities"]:
        if entry["smart"]:
            smart_by_unit[entry["unit_code"]].append(_community(entry, computation))
    units_by_city: dict[str, list[dict]] = defaultdict(list)
    for entry in data["units"]:
        units_by_city[entry["city_code"]].append(_unit(entry, smart_by_unit.get(entry["code"], [])))
    cities = [{"code": c["code"], "name": c["name"], "communities": c["communities"],
               "smart_communities": c["smart_communities"],
               "coverage_percent": percent(c["smart_communities"], c["communities"]),
               "units": units_by_city.get(c["code"], [])} for c in data["cities"]]
    listed = sum(len(found) for found in smart_by_unit.values())
    return {"round": round_.code, "round_name": round_.name, "standard": data["standard"],
            "generated_at": timezone.localtime().isoformat(timespec="seconds"),
            "smart_communities": listed, "cities": cities}


def same(a: dict, b: dict) -> bool:
    """Whether two 名单 documents say the same (when they were generated aside)."""
    def content(document: dict) -> dict:
        return {key: value for key, value in document.items() if key != "generated_at"}

    return content(a) == content(b)


def _stored(label) -> str:
    """A published list is a record: its words stay in the source language, whoever publishes it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)
