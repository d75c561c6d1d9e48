"""Make plausible answers for an item of the standard: passing, failing, incomplete or empty.

The generator only proposes values; whether they pass is always decided by the real engine
(standards.evaluation, under the standard version's own semantics) when the variant pool is built, so the stored
verdicts are the engine's. It never marks an option 本社区无此设施: every passing answer ticks what it needs.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from standards.evaluation import ItemEvaluation, evaluate_item

VARIANT_KINDS = ("pass", "fail", "incomplete", "empty")
TEXT_ANSWER = "依托社区综合服务平台，利用大数据和5G网络开展独居老人智能关爱、智慧停车等创新应用。"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Variant:
    """One answer to an item and the engine's verdict on it."""

    kind: str
    values: dict
    not_applicable: dict
    photos: int
    evaluation: ItemEvaluation


def _field_value(spec: dict, rng: random.Random):
    kind = spec["kind"]
    if kind == "count":
        return rng.randint(300, 4800)
    if kind == "decimal":
        return str((Decimal(rng.randint(500_000, 5_000_000)) / 100).quantize(CENT))
    if kind == "bool":
        return True
    if kind == "choices":
        keys = [o["key"] for o in spec["options"]]
        if spec.get("rule") == "all":
            return keys
        return rng.sample(keys, rng.randint(max(1, int(spec.get("min", 1))), len(keys)))
    return TEXT_ANSWER


def _percent(rule: dict) -> Fraction:
    return Fraction(str(rule.get("percent", rule.get("value"))))


def _set_rule(values: dict, rule: dict, rng: random.Random, *, passing: bool) -> None:
    """Adjust the values the rule reads so that it holds (or, with passing=False, just fails)."""
    op, limit = rule["op"], _percent(rule)
    if rule["kind"] == "ratio":
        den = values[rule["denominator"]]
        edge = Fraction(den) * limit / 100  # the numerator at exactly the threshold
        if passing:
            low = math.floor(edge) + 1 if op == "gt" else math.ceil(edge)
            values[rule["numerator"]] = rng.randint(min(low, den), den) if op != "le" else math.floor(edge)
        else:
            values[rule["numerator"]] = math.floor(edge) if op == "gt" else max(0, math.ceil(edge) - 1)
    elif rule["kind"] == "reduction":
        baseline = Decimal(values[rule["baseline"]])
        edge = baseline * (1 - Decimal(limit.numerator) / limit.denominator / 100)
        factor = Decimal(rng.randint(70, 99)) / 100 if passing else Decimal("1.05")
        values[rule["actual"]] = str((edge * factor).quantize(CENT, rounding=ROUND_DOWN))
    else:
        if passing:
            shift = rng.randint(0, 4)
            target = {"ge": limit + shift, "gt": limit + 1 + shift, "le": max(Fraction(0), limit - shift)}[op]
        else:
            target = {"ge": limit - 1, "gt": limit, "le": limit + 1}[op]
        number = Decimal(target.numerator) / target.denominator
        values[rule["field"]] = int(number) if isinstance(values[rule["field"]], int) else str(number.quantize(CENT))


def _break(item: dict, values: dict, rng: random.Random) -> None:
    """Make one thing about a complete answer wrong: a rule, a required yes, an unticked option."""
    if item.get("rules"):
        _set_rule(values, rng.choice(item["rules"]), rng, passing=False)
        return
    for spec in item["fields"]:
        if spec["kind"] == "bool" and (spec.get("required") or spec.get("required_if")):
            values[spec["key"]] = False
            return
        if spec["kind"] == "choices":
            values[spec["key"]] = values[spec["key"]][:-1] if spec.get("rule") == "all" else []
            return
        if spec["kind"] == "text" and spec.get("required"):
            values[spec["key"]] = ""
            return


def propose(item: dict, kind: str, rng: random.Random) -> tuple[dict, int]:
    """Return (values, photo count) for a variant of `kind` for this item."""
    if kind == "empty":
        return {}, 0
    values = {spec["key"]: _field_value(spec, rng) for spec in item["fields"]}
    for rule in item.get("rules", ()):
        _set_rule(values, rule, rng, passing=True)
    if kind == "fail":
        _break(item, values, rng)
    elif kind == "incomplete":
        keys = list(values)
        for key in rng.sample(keys, max(1, len(keys) // 2)):
            del values[key]
    return values, 1


def variant_pool(standard, *, per_kind: int = 4, seed: int = 0) -> dict[tuple[int, str], list[Variant]]:
    """Return, for every (item number, kind), a few answers already evaluated by the engine."""
    rng = random.Random(seed)
    pool: dict[tuple[int, str], list[Variant]] = {}
    for item in standard.items:
        for kind in VARIANT_KINDS:
            variants = []
            for _ in range(1 if kind == "empty" else per_kind):
                values, photos = propose(item, kind, rng)
                evaluation = evaluate_item(item, values, {}, na_flags=standard.na_flags, photo_count=photos,
                                           min_photos=standard.min_photos)
                variants.append(Variant(kind, values, {}, photos, evaluation))
            pool[item["number"], kind] = variants
    return pool
