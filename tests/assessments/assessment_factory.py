"""Builders for assessment tests: community answers in bulk (the review already done), JSONL files."""

from __future__ import annotations

import json
from pathlib import Path

from checklists.models import ItemResult, Status
from communities.models import CommunityPage
from standards.models import Round

ITEMS = range(1, 26)


def answer(round_: Round, code: str, item: int, values: dict, status: str = Status.APPROVED,
           rules_pass: bool = True) -> ItemResult:
    """Store one community's answer to one item as the workflow would have left it."""
    return ItemResult.objects.create(round=round_, community=CommunityPage.objects.get(code=code), item_number=item,
                                     values=values, status=status, rules_pass=rules_pass)


def smart(round_: Round, code: str, values: dict[int, dict] | None = None) -> None:
    """Make a community smart (every item approved and passing), with these items' values."""
    values = values or {}
    community = CommunityPage.objects.get(code=code)
    ItemResult.objects.bulk_create([
        ItemResult(round=round_, community=community, item_number=n, values=values.get(n, {"filled": 1}),
                   status=Status.APPROVED, rules_pass=True) for n in ITEMS
    ])


def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                    encoding="utf-8")
    return path
