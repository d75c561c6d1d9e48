"""After the load test: is every acknowledged save and photo in the database, once?

`check(acks, since)` is plain Django code (tested in tests/devtools/test_loadtest_verify.py); `main` runs it on the
load-test database and prints one JSON line.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import django
from django.apps import apps

if not apps.ready:  # run as a script: python -m bench.loadtest.verify
    ROOT = Path(__file__).resolve().parents[2]
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    django.setup()

from checklists.models import Evidence, ItemResult, SaveReceipt  # noqa: E402

Key = tuple[str, int]


def check(acks: list[dict], *, round_code: str, since: datetime, starts: dict[Key, int]) -> dict:
    """Compare the client's acknowledgements with the database; return counts of problems (all 0 when sound).

    `starts` holds each (community code, item) revision before the test began.
    """
    saves = [a for a in acks if a["type"] == "save"]
    resends = [a for a in acks if a["type"] == "resend"]
    photos = [a for a in acks if a["type"] in ("photo", "photo_resend")]
    conflicted = [a["request_id"] for a in acks if a["type"] == "save_conflict"]
    receipts = {
        str(r.request_id): r
        for r in SaveReceipt.objects.filter(request_id__in=[a["request_id"] for a in saves + resends] + conflicted)
        .select_related("result__community")
    }
    problems: Counter = Counter()
    for ack in saves:
        receipt = receipts.get(ack["request_id"])
        if receipt is None:
            problems["lost_saves"] += 1
        elif (receipt.result.community.code, receipt.result.item_number, receipt.revision) != (
            ack["community"], ack["item"], ack["revision"]
        ):
            problems["mismatched_saves"] += 1
    first = {a["request_id"]: a["revision"] for a in saves}
    for ack in resends:
        if not ack["replayed"] or ack["revision"] != first.get(ack["request_id"]):
            problems["resends_applied_twice"] += 1
    problems.update(_revision_problems(saves, round_code, since, starts))
    problems.update(_photo_problems(photos, since))
    conflicts = [a for a in acks if a["type"] in ("save_conflict", "photo_conflict")]
    problems["conflicts_applied"] = _conflicts_applied(conflicts, receipts)
    return {
        "acknowledged_saves": len(saves), "resent_saves": len(resends),
        "acknowledged_photos": len({a["client_id"] for a in photos}),
        "resent_photos": sum(a["type"] == "photo_resend" for a in photos),
        "conflicts_refused": len(conflicts),
        **{key: problems[key] for key in (
            "lost_saves", "mismatched_saves", "resends_applied_twice", "duplicate_revisions", "unreceipted_changes",
            "last_write_mismatch", "lost_photos", "duplicate_photos", "conflicts_applied",
        )},
    }


def _conflicts_applied(conflicts: list[dict], receipts: dict) -> int:
    """Changed content sent under a used id was refused (409): the first save or photo must still be the one."""
    applied = 0
    photos = defaultdict(list)
    for pk, client_id in Evidence.objects.filter(
            client_id__in=[a["client_id"] for a in conflicts if a["type"] == "photo_conflict"]
    ).values_list("pk", "client_id"):
        photos[str(client_id)].append(pk)
    for ack in conflicts:
        if ack["type"] == "save_conflict":
            receipt = receipts.get(ack["request_id"])
            applied += receipt is None or receipt.revision != ack["revision"]
        else:
            applied += photos[ack["client_id"]] != [ack["evidence"]]
    return applied


def _revision_problems(saves: list[dict], round_code: str, since: datetime, starts: dict[Key, int]) -> Counter:
    """Each applied save is one receipt and one revision: no revision claimed twice, none without a receipt."""
    problems: Counter = Counter()
    by_result: dict[Key, list[dict]] = defaultdict(list)
    for ack in saves:
        by_result[ack["community"], ack["item"]].append(ack)
    for (code, number), acks in by_result.items():
        result = ItemResult.objects.get(community__code=code, item_number=number, round__code=round_code)
        revisions = [a["revision"] for a in acks]
        problems["duplicate_revisions"] += len(revisions) - len(set(revisions))
        applied = SaveReceipt.objects.filter(result=result, created_at__gte=since).count()
        # Every revision since the test began came from exactly one receipted request.
        problems["unreceipted_changes"] += abs((result.revision - starts[code, number]) - applied)
        last = max(acks, key=lambda a: a["revision"])
        if last["revision"] == result.revision and _stored(result.values) != _stored(last["values"]):
            problems["last_write_mismatch"] += 1
    return problems


def _stored(values: dict) -> dict:
    """Return values comparably: figures as strings (the JSON endpoint stores them so), blanks dropped."""
    return {k: str(v) if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in values.items() if v not in (None, "", [])}


def _photo_problems(photos: list[dict], since: datetime) -> Counter:
    problems: Counter = Counter()
    client_ids = {a["client_id"] for a in photos}
    rows = Counter(
        str(c) for c in Evidence.objects.filter(client_id__in=client_ids).values_list("client_id", flat=True)
    )
    evidence_of: dict[str, set[int]] = defaultdict(set)
    for ack in photos:
        evidence_of[ack["client_id"]].add(ack["evidence"])
    for client_id in client_ids:
        if rows[client_id] == 0:
            problems["lost_photos"] += 1
        if rows[client_id] > 1 or len(evidence_of[client_id]) > 1:
            problems["duplicate_photos"] += 1
    return problems


def main() -> None:
    import argparse
    import json

    from django.utils.dateparse import parse_datetime

    parser = argparse.ArgumentParser()
    parser.add_argument("--plan", required=True)
    parser.add_argument("--acks", required=True)
    args = parser.parse_args()
    plan = json.loads(Path(args.plan).read_text(encoding="utf-8"))
    acks = json.loads(Path(args.acks).read_text(encoding="utf-8"))
    starts = {(w["community"], i["number"]): i["revision"] for w in plan["workers"] for i in w["items"]}
    print(json.dumps(check(acks, round_code=plan["round"], since=parse_datetime(plan["started_at"]), starts=starts)))


if __name__ == "__main__":
    main()
