"""Results import (interfaces.md "Results import"): JSONL from districts that collected results on paper.

Every line goes through the same services as the phone and the review screens (answer_save, evidence_add,
item_submit / item_approve / item_return) with via="import", so values, photos and decisions are checked
exactly as they are online and every change is on the audit trail as done by the importing user. The file
is applied atomically: any bad line and nothing is kept, and every bad line is reported with its number.

Lines are read through intake.jsondata (bounded size, depth and numbers; unknown fields named). Photo paths are
confined to the JSONL file's folder (after resolving `..` and symlinks), and every photo is decoded before the
file's one transaction opens, so an import never holds the database while decoding.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from communities import policy
from communities.models import CommunityPage
from intake import jsondata, numbers
from smartsite.import_report import ImportReport, RowError
from standards.models import Round

from . import audit
from .actions import ChecklistAction
from .decisions import item_approve, item_reopen, item_return
from .evidence import PhotoError, evidence_add
from .models import Evidence, ItemResult, Status
from .photos import ProcessedPhoto, processed
from .services import IncompleteError, answer_save, item_submit, item_withdraw, result_for
from .workflow import TransitionError

KEYS = {"community", "round", "item", "values", "not_applicable", "photos", "status", "note"}
REQUIRED = ("community", "round", "item", "status")
REIMPORT_REASON = "导入结果覆盖已审核的填报"
# Photos with the same bytes on the same item are one photo: a re-imported file does not attach them twice.
PHOTO_NAMESPACE = uuid.UUID("6f1f4a3e-3b0b-4d53-9a51-7d7d2c0e5a10")


class ResultsFileError(ValueError):
    """The file as a whole cannot be read."""


class LineProblem(Exception):
    """One line cannot be imported; the message says why, in Chinese."""


@dataclass
class Line:
    number: int
    round: Round
    community: CommunityPage
    item: int
    values: dict
    not_applicable: dict
    photos: list[Path]
    status: str
    note: str | None  # None: the line has no note, keep the item's own


@dataclass
class ResultsReport(ImportReport):
    imported: int = 0
    photos: int = 0

    def describe(self) -> str:
        return f"导入指标{self.imported}项，照片{self.photos}张"


def read_lines(path: Path) -> list[tuple[int, str]]:
    """Return (line number, text) of the file's non-blank lines."""
    try:
        return jsondata.read_lines(path)
    except jsondata.JsonError as exc:
        raise ResultsFileError(exc.message) from exc


def _text(record: dict, key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value).strip()


def _shape_problems(record) -> list[str]:
    """Check one decoded line on its own, before looking anything up."""
    if not isinstance(record, dict):
        return ["每行必须是一个 JSON 对象"]
    problems = [f"缺少 {key}" for key in REQUIRED if record.get(key) in (None, "")]
    if unknown := jsondata.unknown_fields(record, KEYS):
        problems.append(jsondata.unknown_message(unknown))
    status = record.get("status")
    if status not in (None, "") and status not in Status.values:
        problems.append(f"status 未知：“{status}”（应为 {', '.join(Status.values)}）")
    if status == Status.RETURNED and not _text(record, "note"):
        problems.append("status 为 returned 时必须在 note 中填写退回理由")
    if not isinstance(record.get("values", {}), dict):
        problems.append("values 必须是对象")
    if not isinstance(record.get("not_applicable", {}), dict):
        problems.append("not_applicable 必须是对象")
    photos = record.get("photos", [])
    if not isinstance(photos, list) or not all(isinstance(p, str) and p.strip() for p in photos):
        problems.append("photos 必须是文件路径的列表")
    item = record.get("item")
    if item not in (None, "") and _item_number(item) is None:
        problems.append(f"item 必须是指标序号（现为“{str(item)[:40]}”）")
    return problems


def _item_number(raw) -> int | None:
    """Return the item number a line names (an integer or its digits), or None; never reads a long number."""
    if isinstance(raw, bool) or (isinstance(raw, str) and not raw.strip().isdigit()):
        return None
    try:
        return numbers.integer_of(raw, max_digits=6)
    except numbers.NumberError:
        return None


def _number_problems(item: dict, values: dict) -> list[str]:
    """Name each count or decimal too long to be read (the engine reads the others and names what is wrong)."""
    problems = []
    for spec in item["fields"]:
        raw = values.get(spec["key"])
        if spec["kind"] in ("count", "decimal") and raw is not None:
            try:
                numbers.text_of(raw)
            except numbers.NumberError as exc:
                problems.append(f"{spec['label']}：{exc.message}")
    return problems


class _Lookups:
    """Rounds and communities named in the file, fetched once."""

    def __init__(self, records: list[dict]):
        codes = {_text(r, "community") for r in records}
        self.communities = {c.code: c for c in CommunityPage.objects.filter(code__in=codes)}
        rounds = {_text(r, "round") for r in records}
        self.rounds = {r.code: r for r in Round.objects.filter(code__in=rounds).select_related("standard")}


def _resolve(number: int, record: dict, lookups: _Lookups, base: Path) -> tuple[Line | None, list[str]]:
    """Turn a well-shaped record into a Line, or say what it refers to that does not exist."""
    problems = []
    community = lookups.communities.get(_text(record, "community"))
    if community is None:
        problems.append(f"社区代码 {_text(record, 'community')} 不存在")
    round_ = lookups.rounds.get(_text(record, "round"))
    item = _item_number(record["item"])
    if round_ is None:
        problems.append(f"轮次 {_text(record, 'round')} 不存在")
    elif not round_.is_open:
        problems.append(f"轮次 {round_.code} 已关闭，不能导入")
    elif item not in round_.standard.item_numbers:
        problems.append(f"标准中没有第{item}项")
    else:
        definition = round_.standard.item(item)
        if unknown := jsondata.unknown_fields(record.get("values", {}), (f["key"] for f in definition["fields"])):
            problems.append(f"第{item}项没有字段：{', '.join(unknown)}")
        problems += _number_problems(definition, record.get("values", {}))
    photos = []
    for name in record.get("photos", []):
        path, problem = _photo_path(base, name)
        if problem:
            problems.append(problem)
        else:
            photos.append(path)
    if problems:
        return None, problems
    return Line(
        number, round_, community, item, record.get("values", {}), record.get("not_applicable", {}), photos,
        record["status"], _text(record, "note") if "note" in record else None,
    ), []


def _photo_path(base: Path, name: str) -> tuple[Path | None, str]:
    """Return the photo's resolved path inside `base` (the JSONL file's folder), or why it is refused."""
    if Path(name).is_absolute():
        return None, f"照片路径必须相对于导入文件：{name}"
    folder = base.resolve()
    path = (folder / name).resolve()
    # Checked before anything is looked at, so a path outside the folder is never read, nor even said to exist.
    if not path.is_relative_to(folder):
        return None, f"照片路径超出导入文件所在的文件夹（不允许 ../ 或指向外部的链接）：{name}"
    if not path.is_file():
        return None, f"找不到照片文件：{name}"
    return path, ""


def parse(path: Path) -> tuple[list[Line], list[RowError], int]:
    """Decode and check every line; return the usable lines, the bad ones and the number of lines."""
    decoded: list[tuple[int, dict]] = []
    errors: list[RowError] = []
    raw_lines = read_lines(path)
    for number, text in raw_lines:
        try:
            # Decimals stay exact: 1000.1 must not become a binary float on its way to the engine.
            record = jsondata.loads(text)
        except jsondata.JsonError as exc:
            errors.append(RowError(number, exc.message))
            continue
        problems = _shape_problems(record)
        errors.extend(RowError(number, p) for p in problems)
        if not problems:
            decoded.append((number, record))
    lookups = _Lookups([r for _, r in decoded])
    lines: list[Line] = []
    seen: dict[tuple, int] = {}
    for number, record in decoded:
        line, problems = _resolve(number, record, lookups, path.parent)
        errors.extend(RowError(number, p) for p in problems)
        if line is None:
            continue
        key = (line.round.pk, line.community.pk, line.item)
        if key in seen:
            errors.append(RowError(number, f"与第{seen[key]}行是同一社区同一指标"))
            continue
        seen[key] = number
        lines.append(line)
    return lines, errors, len(raw_lines)


def prepare_photos(lines: list[Line]) -> tuple[dict[str, ProcessedPhoto], list[RowError]]:
    """Check and process every photo of the file (by SHA-256, once each), before any transaction opens.

    Only the display copies and facts are kept (a few hundred KB a photo); the originals are read again when
    attached. Returns the processed photos and one error per refused photo.
    """
    prepared: dict[str, ProcessedPhoto] = {}
    errors = []
    for line in lines:
        for path in line.photos:
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest in prepared:
                continue
            try:
                prepared[digest] = processed(data)
            except PhotoError as exc:
                errors.append(RowError(line.number, f"照片 {path.name}：{exc.message}"))
    return prepared, errors


def _attach_photos(line: Line, result: ItemResult, user, created: list[Evidence],
                   prepared: dict[str, ProcessedPhoto]) -> int:
    for path in line.photos:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        client_id = uuid.uuid5(PHOTO_NAMESPACE, f"{result.pk}/{digest}")
        if Evidence.objects.filter(client_id=client_id).exists():
            continue  # already attached by an earlier import of the same photo
        try:
            created.append(evidence_add(
                result=result, user=user, data=data, filename=path.name, client_id=client_id, via="import",
                photo=prepared.get(digest),
            ))
        except PhotoError as exc:
            raise LineProblem(f"照片 {path.name}：{exc.message}") from exc
    return len(line.photos)


def _drive(result: ItemResult, line: Line, user) -> ItemResult:
    """Move the saved item to the requested status through the workflow services."""
    common = {"user": user, "via": "import"}
    if line.status == Status.DRAFT:
        if result.status != Status.DRAFT:
            raise LineProblem(f"该指标当前为“{Status(result.status).label}”，不能导入为草稿")
        return result
    # A verifier may have returned an item because it was incomplete; only that path skips the check.
    result = item_submit(result=result, require_complete=line.status != Status.RETURNED, **common)
    if line.status == Status.APPROVED:
        return item_approve(result=result, **common)
    if line.status == Status.RETURNED:
        return item_return(result=result, reason=line.note, **common)
    return result


def apply_line(line: Line, user, created: list[Evidence], prepared: dict[str, ProcessedPhoto]) -> int:
    """Import one line (values, photos, status) and log it; return the number of photos in it."""
    result = result_for(round_=line.round, community=line.community, item_number=line.item)
    before = result.status
    common = {"user": user, "via": "import"}
    if result.status == Status.APPROVED:
        result = item_reopen(result=result, reason=REIMPORT_REASON, **common)
    elif result.status == Status.SUBMITTED:
        result = item_withdraw(result=result, **common)  # a submitted item is read-only until withdrawn
    outcome = answer_save(
        round_=line.round, community=line.community, item_number=line.item, values=line.values,
        # For "returned" the note is the verifier's reason to the worker, not the worker's own remark.
        not_applicable=line.not_applicable, note=None if line.status == Status.RETURNED else line.note, **common,
    )
    if outcome.evaluation.errors:
        raise LineProblem("；".join(issue.message for issue in outcome.evaluation.errors))
    photos = _attach_photos(line, outcome.result, user, created, prepared)
    result = _drive(ItemResult.objects.get(pk=outcome.result.pk), line, user)
    audit.record(
        result, "imported", user=user, from_status=before, to_status=result.status, via="import",
        reason=line.note if line.status == Status.RETURNED else "",
        data={"line": line.number, "photos": photos, "values": result.values},
    )
    return photos


def import_results(path: Path | str, *, user, dry_run: bool = False) -> ResultsReport:
    """Import a results JSONL file atomically as `user`; with dry_run, check everything and keep nothing."""
    path = Path(path)
    lines, errors, count = parse(path)
    errors += [RowError(line.number, f"用户 {user.get_username()} 无权导入社区 {line.community.code} 的结果（"
                         + policy.refusal(ChecklistAction.IMPORT_RESULTS) + "）")
               for line in lines if not policy.may(user, ChecklistAction.IMPORT_RESULTS, line.community)]
    prepared, photo_errors = prepare_photos(lines)
    refused = {error.line for error in photo_errors}
    lines = [line for line in lines if line.number not in refused]
    report = ResultsReport(rows=count, errors=errors + photo_errors, dry_run=dry_run, file=path.name)
    created: list[Evidence] = []
    try:
        with transaction.atomic():
            for line in lines:
                try:
                    with transaction.atomic():
                        report.photos += apply_line(line, user, created, prepared)
                        report.imported += 1
                except (LineProblem, IncompleteError, TransitionError, PermissionDenied, ValueError) as exc:
                    report.errors.append(RowError(line.number, _message(exc)))
            if report.errors or dry_run:
                transaction.set_rollback(True)
    finally:
        if report.errors or dry_run:
            _discard_files(created)
    report.errors.sort(key=lambda e: e.line)
    return report


def _message(exc: Exception) -> str:
    if isinstance(exc, IncompleteError):
        return "不能提交：" + "；".join(exc.reasons)
    return getattr(exc, "message", None) or str(exc)


def _discard_files(created: list[Evidence]) -> None:
    """Delete the files of photos whose rows were rolled back, so a failed import leaves nothing behind."""
    for evidence in created:
        for file in (evidence.original, evidence.copy, evidence.display, evidence.thumbnail):
            if file and file.name:
                file.storage.delete(file.name)
