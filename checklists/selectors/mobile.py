"""Reads for the phone checklist: a community's items, answers and photos in a fixed number of queries
(one for the results, one for the live photos), whatever the number of photos or items."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy

from communities.models import CommunityPage
from communities.policy import Action
from standards.evaluation import clean_values, evaluate_item, summary
from standards.models import Round, StandardVersion

from ..actions import ChecklistAction
from ..models import PASSES, Evidence, ItemResult, SaveReceipt, Status
from ..originals import original_pending
from .item_text import FieldText, ItemText, item_texts

HOUSEHOLDS = "households"


@dataclass(frozen=True)
class PhotoView:
    id: int
    name: str
    flag_old: bool
    flag_duplicate: bool
    taken_at: datetime | None
    original_pending: bool = False  # added from the phone's copy; the original has not arrived (yet)


@dataclass(frozen=True)
class OptionView:
    key: str
    label: str
    ticked: bool
    na: bool
    na_note: str
    na_allowed: bool  # this option may be marked 本社区无此设施 (with a note)


# One chip per item combining review, completeness and rules: (CSS key, words). A draft says whether 提交全部 would
# send it (ItemResult.complete, the engine's one definition); an approved item is only 达标 if its rules hold.
# The chips partition the checklist, so the progress line's figures add up to the total.
DRAFT_READY = ("draft-ready", gettext_lazy("草稿·可提交"))
DRAFT_UNFINISHED = ("draft", gettext_lazy("草稿·未填完"))
CHIPS = {
    Status.SUBMITTED: ("submitted", gettext_lazy("待审核")),
    Status.RETURNED: ("returned", gettext_lazy("被退回")),
}
APPROVED_PASS = ("approved-pass", gettext_lazy("已审核·达标"))
APPROVED_FAIL = ("approved-fail", gettext_lazy("已审核·未达标"))
# What 已完成 counts: complete and not waiting on the worker or failed (returned and 未达标 items are not done).
DONE_CHIPS = frozenset({DRAFT_READY[0], CHIPS[Status.SUBMITTED][0], APPROVED_PASS[0]})


LOCK_NOTES = {
    Status.SUBMITTED: gettext_lazy("已提交审核，内容只读。如需修改，请点下方“撤回修改”。"),
    Status.APPROVED: gettext_lazy("已审核，内容已锁定；如需修改请联系区县审核人员重新打开。"),
}


class Chip(NamedTuple):
    """An item's chip: its CSS key and its words. Named, so templates read chip.key (chip.0 makes Django's
    lookup fail over to dir() of the tuple, 75 times per checklist)."""

    key: str
    label: str


def item_chip(status: str, rules_pass: bool, complete: bool) -> Chip:
    """Return the item's one chip: 草稿·未填完 / 草稿·可提交 / 待审核 / 被退回 / 已审核·达标 / 已审核·未达标."""
    if status == Status.APPROVED:
        key, label = APPROVED_PASS if rules_pass else APPROVED_FAIL
    elif status == Status.DRAFT:
        key, label = DRAFT_READY if complete else DRAFT_UNFINISHED
    else:
        key, label = CHIPS[status]
    return Chip(key, str(label))


@dataclass(frozen=True)
class FieldView:
    key: str
    kind: str
    label: str
    unit: str
    value: str  # text inputs: the raw entry as typed; bool: "true", "false" or ""
    options: tuple[OptionView, ...]
    prefilled: bool
    required: bool
    hint: str  # what the standard asks of a choices field
    na_allowed: bool  # any option of this field may be marked 本社区无此设施


@dataclass
class ItemView:
    text: ItemText  # the standard's words (number, name, rules …), shared by every page of this version and language
    fields: list[FieldView]
    status: str
    return_reason: str
    revision: int
    note: str
    photos: list[PhotoView]
    evaluation: dict
    complete: bool  # as stored (ItemResult.complete, the engine's one definition): what every count counts
    rules_pass: bool  # as stored
    values: dict = field(default_factory=dict)
    not_applicable: dict = field(default_factory=dict)

    number = property(lambda self: self.text.number)
    name = property(lambda self: self.text.name)
    description = property(lambda self: self.text.description)
    category = property(lambda self: self.text.category)
    rules = property(lambda self: self.text.rules)  # (label, formula)
    sensitive = property(lambda self: self.text.sensitive)

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def chip(self) -> Chip:
        return item_chip(self.status, self.rules_pass, self.complete)

    @property
    def done(self) -> bool:
        """Counted under 已完成: complete, and neither returned nor failed."""
        return self.chip[0] in DONE_CHIPS

    @property
    def lock_note(self) -> str:
        """Return why the item cannot be edited on the phone now (empty when it can)."""
        return str(LOCK_NOTES.get(self.status, ""))

    @property
    def locked(self) -> bool:
        """Read-only on the phone: waiting for review (until withdrawn) or approved (until reopened)."""
        return self.status in (Status.SUBMITTED, Status.APPROVED)


@dataclass
class CategoryView:
    key: str
    label: str
    items: list[ItemView]
    done: int
    total: int


@dataclass
class ChecklistView:
    community: CommunityPage
    round: Round
    items: list[ItemView]
    categories: list[CategoryView]
    returned: list[ItemView]
    counts: dict


def community_by_code(code: str) -> CommunityPage | None:
    """Return the community with this 12-digit code."""
    return CommunityPage.objects.filter(code=code).first()


def _field_value(field_def: dict, raw, cleaned) -> str:
    if field_def["kind"] == "bool":
        return "" if cleaned is None else ("true" if cleaned else "false")
    if field_def["kind"] == "choices" or raw is None:
        return ""
    return str(raw)


def _fields(
    item: dict, texts: tuple[FieldText, ...], values: dict, marks: dict, households: int | None
) -> tuple[list[FieldView], dict]:
    values = dict(values)
    prefilled = set()
    has_households = any(t.key == HOUSEHOLDS for t in texts)
    if has_households and values.get(HOUSEHOLDS) in (None, "") and households is not None:
        values[HOUSEHOLDS] = str(households)
        prefilled.add(HOUSEHOLDS)
    cleaned, _ = clean_values(item, values)
    views = []
    for f, text in zip(item["fields"], texts, strict=True):
        ticked = cleaned.get(text.key) or () if text.kind == "choices" else ()
        field_marks = marks.get(text.key) if isinstance(marks.get(text.key), dict) else {}
        options = tuple(
            OptionView(o.key, o.label, o.key in ticked, o.key in field_marks, str(field_marks.get(o.key) or ""),
                       o.na_allowed)
            for o in text.options
        )
        value = _field_value(f, values.get(text.key), cleaned.get(text.key))
        views.append(FieldView(
            text.key, text.kind, text.label, text.unit, value, options, text.key in prefilled, text.required,
            text.hint, text.na_allowed,
        ))
    return views, values


def _item_view(item: dict, text: ItemText, result: ItemResult | None, photos: list[PhotoView],
               households: int | None, standard: StandardVersion, override: tuple | None = None) -> ItemView:
    stored = result.values if result else {}
    marks = result.not_applicable if result else {}
    note = result.note if result else ""
    if override is not None:
        stored, marks, note = override
    fields, values = _fields(item, text.fields, stored, marks, households)
    evaluation = evaluate_item(item, values, marks, na_flags=standard.na_flags, photo_count=len(photos),
                               min_photos=standard.min_photos)
    return ItemView(
        text=text,
        fields=fields,
        status=result.status if result else Status.DRAFT,
        return_reason=result.return_reason if result else "",
        revision=result.revision if result else 0,
        note=note,
        photos=photos,
        evaluation=summary(evaluation),
        complete=bool(result and result.complete),
        rules_pass=bool(result and result.rules_pass),
        values=values,
        not_applicable=marks,
    )


def _photos_by_result(round_: Round, community: CommunityPage, numbers: list[int] | None) -> dict[int, list[PhotoView]]:
    rows = Evidence.objects.filter(result__round=round_, result__community=community, removed_at__isnull=True)
    if numbers is not None:
        rows = rows.filter(result__item_number__in=numbers)
    photos: dict[int, list[PhotoView]] = {}
    fields = ("pk", "result_id", "original_name", "flag_old", "flag_duplicate", "taken_at", "original")
    for pk, result_id, name, old, duplicate, taken_at, original in rows.order_by("uploaded_at", "pk").values_list(
        *fields
    ):
        pending = original_pending(bool(original))
        photos.setdefault(result_id, []).append(PhotoView(pk, name, old, duplicate, taken_at, pending))
    return photos


def counts_of(items: list[ItemView]) -> dict:
    """Return the progress figures shown at the top of the checklist (the same as progress() counts).

    ready + unfinished + submitted + returned + passed + failed = total; done = ready + submitted + passed.
    """
    chips = Counter(item.chip[0] for item in items)
    return {
        "total": len(items),
        "done": sum(item.done for item in items),
        "ready": chips[DRAFT_READY[0]],
        "unfinished": chips[DRAFT_UNFINISHED[0]],
        "submitted": chips["submitted"],
        "returned": chips["returned"],
        "passed": chips[APPROVED_PASS[0]],
        "failed": chips[APPROVED_FAIL[0]],
    }


def checklist(
    *, round_: Round, community: CommunityPage, numbers: list[int] | None = None, overrides: dict | None = None
) -> ChecklistView:
    """Return the community's checklist for the round (all items, or only `numbers`), returned items first.

    `overrides` maps an item number to (values, not_applicable, note) to show instead of the stored answer,
    for re-showing what a worker posted next to a conflicting version.
    """
    standard = round_.standard
    results = ItemResult.objects.filter(round=round_, community=community)
    if numbers is not None:
        results = results.filter(item_number__in=numbers)
    results = {r.item_number: r for r in results}
    photos = _photos_by_result(round_, community, numbers)
    texts = item_texts(standard)
    items = []
    for item in standard.items:
        if numbers is not None and item["number"] not in numbers:
            continue
        result = results.get(item["number"])
        item_photos = photos.get(result.pk, []) if result else []
        view = _item_view(item, texts[item["number"]], result, item_photos, community.households, standard,
                          (overrides or {}).get(item["number"]))
        items.append(view)
    returned = [i for i in items if i.status == Status.RETURNED]
    groups = []
    for c in standard.data.get("categories", []):
        members = [i for i in items if i.number in c.get("items", [])]
        if members:
            groups.append(CategoryView(
                c["key"], c["label"], [i for i in members if i.status != Status.RETURNED],
                sum(i.done for i in members), len(members),
            ))
    return ChecklistView(community, round_, items, groups, returned, counts_of(items))


# The progress figures as aggregates over stored results; counts_of() counts the same from item views (an item
# with no stored result is an unfinished draft, counted by _with_unfinished).
READY = Q(status=Status.DRAFT, complete=True)
PROGRESS = {
    "done": Count("pk", filter=READY | Q(status=Status.SUBMITTED) | PASSES),
    "ready": Count("pk", filter=READY),
    "submitted": Count("pk", filter=Q(status=Status.SUBMITTED)),
    "returned": Count("pk", filter=Q(status=Status.RETURNED)),
    "passed": Count("pk", filter=PASSES),
    "failed": Count("pk", filter=Q(status=Status.APPROVED, rules_pass=False)),
}
_PARTS = ("ready", "submitted", "returned", "passed", "failed")


def _with_unfinished(counts: dict) -> dict:
    """Add 草稿·未填完: what the other parts leave of the total (blank items have no stored result)."""
    return {**counts, "unfinished": counts["total"] - sum(counts[k] for k in _PARTS)}


def progress(*, round_: Round, community: CommunityPage, total: int) -> dict:
    """Return the progress figures in one aggregate query (for JSON answers after a change)."""
    agg = ItemResult.objects.filter(round=round_, community=community).aggregate(**PROGRESS)
    return _with_unfinished({"total": total, **agg})


def progress_by_community(*, round_: Round, community_ids: list[int], total: int) -> dict[int, dict]:
    """Return progress() for many communities in one grouped query."""
    rows = (
        ItemResult.objects.filter(round=round_, community_id__in=community_ids).order_by()
        .values("community_id").annotate(**PROGRESS)
    )
    found = {row.pop("community_id"): _with_unfinished({"total": total, **row}) for row in rows}
    empty = _with_unfinished({"total": total, **dict.fromkeys(PROGRESS, 0)})
    return {pk: found.get(pk, dict(empty)) for pk in community_ids}


def evidence_for(*, code: str, pk: int) -> Evidence | None:
    """Return a live photo of the community with this code, or None."""
    return (
        Evidence.objects.filter(pk=pk, result__community__code=code, removed_at__isnull=True)
        .select_related("result__community", "result__round")
        .annotate(standard_checksum=F("result__round__standard__checksum"))
        .first()
    )


@lru_cache(maxsize=32)
def sensitive_items(standard_id: int, checksum: str) -> frozenset[int]:
    """Return the numbers of a standard version's items marked sensitive.

    Cached per process: a version never changes in place, and the checksum in the key makes that certain.
    """
    data = StandardVersion.objects.values_list("data", flat=True).get(pk=standard_id)
    return frozenset(item["number"] for item in data["items"] if item.get("sensitive"))


def evidence_action(evidence: Evidence) -> Action:
    """Return what seeing this photo takes: item 24's (特殊人群) are sensitive evidence."""
    standard = (evidence.result.round.standard_id, evidence.standard_checksum)
    if evidence.result.item_number in sensitive_items(*standard):
        return ChecklistAction.VIEW_SENSITIVE_EVIDENCE
    return ChecklistAction.VIEW_EVIDENCE


def receipt_revision(request_id) -> tuple[int, int] | None:
    """Return (result id, revision) that an already-applied save request produced."""
    return SaveReceipt.objects.filter(request_id=request_id).values_list("result_id", "revision").first()
