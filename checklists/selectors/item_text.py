"""The standard's own words for each item on the phone (names, descriptions, rules, field labels and hints), built
once per process for a version and a language instead of on every checklist GET.

A version never changes in place (its checksum is in the key all the same, as for the page's script data), and the
hints and rule formulas are translated, so the language is in the key too: a new version or another language can
never get another's words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import get_language

from standards.evaluation import describe_rule
from standards.hints import field_hint, offers_na
from standards.models import StandardVersion


# eq=False: compared and hashed by identity, so the page's parts cache (checklists.mobile.fragments) keys on the
# object this module cached rather than hashing every word of it on each use.
@dataclass(frozen=True, eq=False)
class OptionText:
    key: str
    label: str
    na_allowed: bool  # this option may be marked 本社区无此设施 (with a note)


@dataclass(frozen=True, eq=False)
class FieldText:
    key: str
    kind: str
    label: str
    unit: str
    hint: str  # what the standard asks of a choices field
    required: bool
    options: tuple[OptionText, ...]
    na_allowed: bool  # any option of this field may be marked 本社区无此设施


@dataclass(frozen=True, eq=False)
class ItemText:
    number: int
    name: str
    description: str
    category: str
    rules: tuple[tuple[str, str], ...]  # (label, formula)
    fields: tuple[FieldText, ...]
    sensitive: bool


def item_texts(standard: StandardVersion) -> Mapping[int, ItemText]:
    """Return the words of each of the version's items, by number, in the active language."""
    return _item_texts(standard, standard.checksum, get_language())


def _field_text(field: dict, by_key: dict, na_flags: bool) -> FieldText:
    options = tuple(
        OptionText(o["key"], o["label"], offers_na(field, o, na_flags=na_flags)) for o in field.get("options", ())
    )
    required = bool(field.get("required") or field.get("required_if") or field.get("rule") or field.get("min"))
    return FieldText(
        field["key"], field["kind"], field["label"], field.get("unit", ""),
        field_hint(field, by_key, na_flags=na_flags), required, options, any(o.na_allowed for o in options),
    )


@lru_cache(maxsize=32)
def _item_texts(standard: StandardVersion, checksum: str, language: str | None) -> Mapping[int, ItemText]:
    categories = {n: c.get("label", "") for c in standard.data.get("categories", []) for n in c.get("items", [])}
    texts = {}
    for item in standard.items:
        by_key = {f["key"]: f for f in item["fields"]}
        texts[item["number"]] = ItemText(
            number=item["number"], name=item["name"], description=item.get("description", ""),
            category=categories.get(item["number"], ""),
            rules=tuple((r["label"], describe_rule(r, item["fields"])) for r in item.get("rules", ())),
            fields=tuple(_field_text(f, by_key, standard.na_flags) for f in item["fields"]),
            sensitive=bool(item.get("sensitive")),
        )
    return texts
