"""Fill a generated province's round: 25 results per community in a realistic mix, with photo records."""

from __future__ import annotations

import io
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from checklists.models import Evidence, ItemResult, Status
from checklists.services import refresh_verdict
from communities.bulk import Inserter, next_id, reset_sequences, when
from standards.models import Round

from .province_values import Variant, variant_pool

CHUNK = 400  # communities per bulk insert: ~10,000 results, a bounded amount of memory
RETURN_REASON = "照片未体现设备实际运行情况，请补充现场照片"
A, S, R, D = Status.APPROVED, Status.SUBMITTED, Status.RETURNED, Status.DRAFT
# Per-item (status, answer) odds for each kind of community progress; "smart" is every item approved and passing.
PROFILES = {
    "reviewing": [((A, "pass"), 55), ((A, "fail"), 8), ((S, "pass"), 20), ((S, "fail"), 7), ((R, "pass"), 10)],
    "drafting": [((A, "pass"), 25), ((S, "pass"), 25), ((D, "pass"), 20), ((D, "fail"), 15), ((D, "incomplete"), 15)],
    "new": [((D, "pass"), 10), ((D, "fail"), 10), ((D, "incomplete"), 30), ((D, "empty"), 50)],
}
NEAR_MISSES = [(A, "fail"), (S, "pass"), (R, "pass")]


@dataclass
class Target:
    """A generated community to fill: its page id and its unit's maturity (0..1)."""

    community_id: int
    maturity: float
    in_scope: bool = True


RESULT_COLUMNS = (
    "id", "round", "community", "item_number", "values", "not_applicable", "status", "rules_pass", "complete",
    "evaluation", "revision", "submitted_at", "decided_at", "return_reason",
)
EVIDENCE_COLUMNS = (
    "id", "result", "original", "display", "thumbnail", "original_name", "sha256", "phash", "size", "format",
    "width", "height", "taken_at",
)


class _Answers:
    """The variant pool, each variant's stored verdict (computed once by refresh_verdict) and its SQL values."""

    def __init__(self, round_: Round, seed: int, inserter: Inserter):
        self.pool = variant_pool(round_.standard, seed=seed)
        self.columns: dict[int, tuple] = {}
        for variants in self.pool.values():
            for v in variants:
                probe = ItemResult(round=round_)
                refresh_verdict(probe, v.evaluation)
                self.columns[id(v)] = (
                    inserter.prep("values", v.values), inserter.prep("not_applicable", v.not_applicable),
                    probe.rules_pass, probe.complete, inserter.prep("evaluation", probe.evaluation),
                )
        # Submitted and decided answers were complete when submitted.
        for (number, kind), variants in list(self.pool.items()):
            if kind == "fail":
                self.pool[number, kind] = [v for v in variants if v.evaluation.complete] or self.pool[number, "pass"]

    def pick(self, number: int, kind: str, rng: random.Random) -> Variant:
        return rng.choice(self.pool[number, kind])


def _plan_items(numbers: list[int], maturity: float, rng: random.Random) -> list[tuple[str, str]]:
    """Return (status, answer kind) for each item of one community."""
    roll = rng.random()
    if roll < maturity * 0.85:
        return [(A, "pass")] * len(numbers)
    if roll < maturity * 0.85 + 0.12:
        plan = [(A, "pass")] * len(numbers)
        for index in rng.sample(range(len(numbers)), rng.randint(1, 3)):
            plan[index] = rng.choice(NEAR_MISSES)
        return plan
    profile = rng.choices(list(PROFILES), weights=[45, 40, 15])[0]
    choices, weights = zip(*PROFILES[profile], strict=True)
    return rng.choices(choices, weights=weights, k=len(numbers))


def shared_photo_files(count: int = 3) -> list[dict[str, str]]:
    """Store a few small JPEGs that every synthetic photo record points at (the records are what is measured)."""
    files = []
    for n in range(count):
        names = {}
        for kind, size in (("original", (160, 120)), ("display", (160, 120)), ("thumbnail", (64, 48))):
            buffer = io.BytesIO()
            Image.new("RGB", size, (40 + 60 * n, 120, 200 - 50 * n)).save(buffer, "JPEG", quality=70)
            names[kind] = default_storage.save(f"evidence/synthetic/{n}/{kind}.jpg", ContentFile(buffer.getvalue()))
        files.append(names)
    return files


def _result_row(pk: int, round_: Round, target: Target, number: int, status: str, variant: Variant,
                answers: _Answers, rng: random.Random) -> tuple[tuple, datetime | None]:
    submitted = round_.opened_at + timedelta(days=rng.randint(1, 40), minutes=rng.randint(0, 1439))
    decided = submitted + timedelta(days=rng.randint(1, 10)) if status in (A, R) else None
    values, not_applicable, rules_pass, complete, evaluation = answers.columns[id(variant)]
    row = (
        pk, round_.pk, target.community_id, number, values, not_applicable, status, rules_pass, complete,
        evaluation, 0 if variant.kind == "empty" else 1, when(submitted if status != D else None), when(decided),
        RETURN_REASON if status == R else "",
    )
    return row, submitted if status != D else None


def _evidence_row(pk: int, result_id: int, taken_at: datetime, files: dict, rng: random.Random) -> tuple:
    return (
        pk, result_id, files["original"], files["display"], files["thumbnail"],
        f"IMG_{rng.randint(1000, 9999)}.jpg", f"{rng.getrandbits(256):064x}", f"{rng.getrandbits(64):016x}",
        rng.randint(1_500_000, 6_000_000), "JPEG", 4000, 3000, when(taken_at),
    )


def fill_round(round_: Round, targets: list[Target], *, seed: int = 0, progress=None) -> Counter:
    """Create every target community's results and photo records; return counts by kind."""
    rng = random.Random(seed)
    results, evidence = Inserter(ItemResult, RESULT_COLUMNS), Inserter(Evidence, EVIDENCE_COLUMNS)
    answers = _Answers(round_, seed, results)
    numbers = round_.standard.item_numbers
    files = shared_photo_files()
    counts: Counter = Counter()
    result_id, evidence_id = next_id(ItemResult), next_id(Evidence)
    for start in range(0, len(targets), CHUNK):
        result_rows, evidence_rows = [], []
        for target in targets[start:start + CHUNK]:
            plan = _plan_items(numbers, target.maturity, rng)
            counts["smart"] += target.in_scope and all(p == (A, "pass") for p in plan)
            for number, (status, kind) in zip(numbers, plan, strict=True):
                variant = answers.pick(number, kind, rng)
                row, submitted = _result_row(result_id, round_, target, number, status, variant, answers, rng)
                result_rows.append(row)
                taken = submitted or round_.opened_at + timedelta(days=3)
                for _ in range(variant.photos + (rng.random() < 0.1) if variant.photos else 0):
                    evidence_rows.append(_evidence_row(evidence_id, result_id, taken, rng.choice(files), rng))
                    evidence_id += 1
                result_id += 1
        counts["results"] += results.insert(result_rows)
        counts["evidence"] += evidence.insert(evidence_rows)
        if progress:
            progress(min(start + CHUNK, len(targets)), len(targets))
    reset_sequences(ItemResult, Evidence)
    return counts
