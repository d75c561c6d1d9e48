"""Photo evidence: check and process an upload, store it privately, flag old or reused pictures.

Each write is two steps: the pure processing (checklists.photos.process_photo: decode, check, render), run
outside any database transaction in one of the process's decoding slots (intake.images), then one
transaction that locks the item, asks the policy and the workflow
again, stores the files and the row and leaves the audit entry. A photo arrives either whole (the plain form,
imports, a phone that cannot make a copy) or as the phone's display copy with the original's declared facts,
the original following later (evidence_add_original, accepted only with the declared SHA-256).

A client id names one photo for good, as ODK Central's instance id does: sent again with the same picture on the
same item it is a retry and answers the photo already added; used for anything else it is refused
(EvidenceConflict, HTTP 409) before any file is written.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .actions import ChecklistAction
from .models import Evidence, ItemResult
from .originals import MISMATCH, NEVER, NO_ORIGINALS, DeclaredFacts, originals_mode
from .photos import MAX_BYTES, PhotoError, ProcessedPhoto, hamming, processed
from .services import authorize, locked, refresh_verdict
from .workflow import ROUND_CLOSED, TransitionError, next_status

NEAR_DUPLICATE_BITS = 6
COPY_MAX_SIDE = 2048
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic"}

__all__ = ["EvidenceConflict", "PhotoError", "evidence_add", "evidence_add_copy", "evidence_add_original",
           "evidence_remove", "duplicates_of"]
REUSED = gettext_lazy("这张照片的请求号已用于另一张照片或另一个指标，本次未保存；请重新选择照片上传")


class EvidenceConflict(PhotoError):
    """A client id already names a different photo, or the same one on another item: nothing was stored."""

    def __init__(self) -> None:
        super().__init__("reused", str(REUSED))


@dataclass(frozen=True)
class Facts:
    """What an evidence row records about the original: read from it, or declared by the phone."""

    sha256: str
    phash: str
    size: int
    format: str
    width: int
    height: int
    taken_at: datetime | None
    gps: tuple[Decimal, Decimal] | None

    @classmethod
    def read(cls, photo: ProcessedPhoto) -> Facts:
        return cls(photo.sha256, photo.phash, photo.size, photo.format, photo.width, photo.height, photo.taken_at,
                   photo.gps)

    @classmethod
    def declared(cls, declared: DeclaredFacts, copy: ProcessedPhoto) -> Facts:
        # The perceptual hash is the copy's (the same picture); the pixel size falls back to the copy's when the
        # phone could not read the original's (a HEIC it decoded but could not parse).
        return cls(declared.sha256, copy.phash, declared.size, declared.format, declared.width or copy.width,
                   declared.height or copy.height, declared.taken_at, declared.gps)


def duplicates_of(photo, result: ItemResult) -> list[dict]:
    """Return evidence in other communities with the same bytes or a near-identical picture.

    `photo` is anything with the original's `sha256` and a perceptual `phash` (ProcessedPhoto, Facts).
    """
    others = Evidence.objects.filter(removed_at__isnull=True).exclude(result__community=result.community)
    # Candidates share the exact bytes or one 16-bit quarter of the perceptual hash (by pigeonhole every
    # picture within 3 bits is among them, and most within 6); the full distance is then checked here.
    quarters = [photo.phash[i : i + 4] for i in range(0, 16, 4)]
    same_quarter = Q(sha256=photo.sha256) | Q(phash__startswith=quarters[0])
    for n, quarter in enumerate(quarters[1:], start=1):
        same_quarter |= Q(**{f"q{n}": quarter})
    candidates = (
        others.annotate(**{f"q{n}": Substr("phash", 1 + 4 * n, 4) for n in range(1, 4)})
        .filter(same_quarter)
        .values("pk", "sha256", "phash", "result__community__code", "result__community__title",
                "result__item_number")[:50]
    )
    found = []
    for c in candidates:
        same_bytes = c["sha256"] == photo.sha256
        if same_bytes or hamming(c["phash"], photo.phash) <= NEAR_DUPLICATE_BITS:
            found.append({
                "evidence": c["pk"], "community": c["result__community__code"],
                "community_name": c["result__community__title"], "item": c["result__item_number"],
                "kind": "same_file" if same_bytes else "similar",
            })
    return found


def _set_facts(evidence: Evidence, facts: Facts) -> None:
    evidence.sha256, evidence.phash, evidence.size = facts.sha256, facts.phash, facts.size
    evidence.format, evidence.width, evidence.height = facts.format, facts.width, facts.height
    evidence.taken_at = facts.taken_at
    evidence.gps_lat, evidence.gps_lon = facts.gps if facts.gps else (None, None)
    evidence.flag_old = bool(facts.taken_at and facts.taken_at < evidence.result.round.opened_at)


def _build(result: ItemResult, facts: Facts, rendered: ProcessedPhoto, user, filename: str, client_id) -> Evidence:
    evidence = Evidence(result=result, original_name=filename[:255], client_id=client_id, uploaded_by=user)
    _set_facts(evidence, facts)
    evidence.duplicate_of = duplicates_of(facts, result)
    evidence.flag_duplicate = bool(evidence.duplicate_of)
    evidence.display.save("display.jpg", ContentFile(rendered.display), save=False)
    evidence.thumbnail.save("thumb.jpg", ContentFile(rendered.thumbnail), save=False)
    return evidence


def _existing(result: ItemResult, client_id, sha256: str) -> Evidence | None:
    """Return the photo this client id already added (a retry), refusing the id's reuse for anything else."""
    existing = Evidence.objects.filter(client_id=client_id).first() if client_id else None
    if existing and (existing.result_id != result.pk or existing.sha256 != sha256):
        raise EvidenceConflict
    return existing


def _precheck(result: ItemResult, user, client_id, sha256: str, via: str) -> Evidence | None:
    """Refuse early (before any decoding) what the transaction would refuse; return an already-added photo."""
    result = ItemResult.objects.select_related("round", "community").get(pk=result.pk)  # its state now
    authorize(user, result.community, ChecklistAction.SAVE, via)
    if existing := _existing(result, client_id, sha256):
        return existing
    next_status(ChecklistAction.SAVE, result.status, round_open=result.round.is_open)
    return None


@transaction.atomic
def _attach(result: ItemResult, user, facts: Facts, rendered: ProcessedPhoto, files: dict[str, bytes],
            filename: str, client_id, via: str, declared: dict | None = None) -> Evidence:
    result = locked(result)
    authorize(user, result.community, ChecklistAction.SAVE, via)
    if existing := _existing(result, client_id, facts.sha256):
        return existing
    next_status(ChecklistAction.SAVE, result.status, round_open=result.round.is_open)
    evidence = _build(result, facts, rendered, user, filename, client_id)
    if "original" in files:
        evidence.original.save(f"original.{EXTENSIONS[facts.format]}", ContentFile(files["original"]), save=False)
        evidence.original_received_at = timezone.now()
    if "copy" in files:
        evidence.copy.save("copy.jpg", ContentFile(files["copy"]), save=False)
    evidence.declared = declared or {}
    try:
        with transaction.atomic():
            evidence.save()
    except IntegrityError:
        # The same client id committed by a concurrent upload to another item (the row lock is per item): only
        # the unique constraint sees it. Drop this upload's files; its twin decides between retry and conflict.
        _delete_files(evidence)
        if existing := _existing(result, client_id, facts.sha256):
            return existing
        raise EvidenceConflict from None
    _after_photo_change(result, user, "photo_added", evidence, via)
    return evidence


def evidence_add(
    *,
    result: ItemResult,
    user,
    data: bytes,
    filename: str = "",
    client_id: uuid.UUID | None = None,
    via: str = "web",
    photo: ProcessedPhoto | None = None,
) -> Evidence:
    """Check, process and attach one whole photo (its original); a retry with the same client id adds nothing.

    `photo` is `data` already processed (checklists.photos.processed) by a caller that must decode before
    it opens its own transaction, as an import does. Raises PhotoError (with a Chinese message) for anything
    that is not an acceptable photo, and its EvidenceConflict when the client id names another photo.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    if existing := _precheck(result, user, client_id, sha256, via):
        return existing
    if photo is None or photo.sha256 != sha256:
        photo = processed(data)
    return _attach(result, user, Facts.read(photo), photo, {"original": data}, filename, client_id, via)


def evidence_add_copy(
    *,
    result: ItemResult,
    user,
    copy: bytes,
    declared: DeclaredFacts,
    filename: str = "",
    client_id: uuid.UUID | None = None,
    via: str = "web",
) -> Evidence:
    """Attach a photo from the phone's display copy and the original's declared facts; the original follows.

    The copy is checked like any upload and must be a display-sized JPEG; the duplicate check uses the declared
    SHA-256 and the copy's perceptual hash, the old-photo flag the declared capture time.
    """
    if existing := _precheck(result, user, client_id, declared.sha256, via):
        return existing
    photo = processed(copy)
    if photo.format != "JPEG" or max(photo.width, photo.height) > COPY_MAX_SIDE:
        message = _("手机压缩照片应为长边不超过%(side)s像素的 JPEG，请重新选择照片") % {"side": COPY_MAX_SIDE}
        raise PhotoError("copy", message)
    return _attach(result, user, Facts.declared(declared, photo), photo, {"copy": copy}, filename, client_id, via,
                   declared=declared.as_json())


def _live(evidence: Evidence, *, lock: bool = False) -> Evidence:
    rows = Evidence.objects.select_for_update() if lock else Evidence.objects
    return rows.select_related("result__round__standard", "result__community").get(pk=evidence.pk)


def evidence_add_original(*, evidence: Evidence, user, data: bytes, via: str = "web") -> Evidence:
    """Keep the original of a photo added from its copy, if its SHA-256 is the one declared; confirm its facts.

    Accepted whatever the item's status (it confirms evidence already there) while the round is open. Raises
    PhotoError when the deployment takes no originals, the photo was removed or the bytes are not the original.
    """
    evidence = _live(evidence)
    authorize(user, evidence.result.community, ChecklistAction.SAVE, via)
    if originals_mode() == NEVER:
        raise PhotoError("never", str(NO_ORIGINALS))
    if evidence.removed_at:
        raise PhotoError("removed", _("这张照片已被移除，无需再上传原图"))
    if evidence.original:
        return evidence  # a retry: the bytes were checked the first time
    if len(data) > MAX_BYTES or hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise PhotoError("mismatch", str(MISMATCH))
    photo = processed(data)
    return _keep_original(evidence, photo, data, user, via)


@transaction.atomic
def _keep_original(evidence: Evidence, photo: ProcessedPhoto, data: bytes, user, via: str) -> Evidence:
    evidence = _live(evidence, lock=True)
    if evidence.original:
        return evidence
    result = locked(evidence.result)
    if not result.round.is_open:
        raise TransitionError(ROUND_CLOSED)
    declared_taken_at = evidence.taken_at
    # From now on the facts are the server's own reading of the original (the phone's stay in `declared`); the
    # perceptual hash stays the copy's, which is what the display and thumbnail show.
    _set_facts(evidence, Facts(photo.sha256, evidence.phash, photo.size, photo.format, photo.width, photo.height,
                               photo.taken_at, photo.gps))
    evidence.original.save(f"original.{EXTENSIONS[photo.format]}", ContentFile(data), save=False)
    evidence.original_received_at = timezone.now()
    evidence.save()
    result.save(update_fields=["updated_at"])  # the phone's cached pages show the photo's state
    audit.record(
        result, "photo_original", user=user, from_status=result.status, via=via,
        data={"evidence": evidence.pk, "sha256": evidence.sha256, "declared_taken_at": str(declared_taken_at or ""),
              "taken_at": str(evidence.taken_at or "")},
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user, via: str = "web") -> Evidence:
    """Take a photo off an item; the file and its record are kept for the audit trail."""
    evidence = _live(evidence, lock=True)
    result = evidence.result
    authorize(user, result.community, ChecklistAction.SAVE, via)
    if evidence.removed_at:
        return evidence
    next_status(ChecklistAction.SAVE, result.status, round_open=result.round.is_open)
    evidence.removed_at = timezone.now()
    evidence.save(update_fields=["removed_at"])
    _after_photo_change(ItemResult.objects.select_for_update().get(pk=result.pk), user, "photo_removed", evidence, via)
    return evidence


def _after_photo_change(result: ItemResult, user, action: str, evidence: Evidence, via: str) -> None:
    old_status = result.status
    result.status = next_status(ChecklistAction.SAVE, result.status, round_open=result.round.is_open)
    refresh_verdict(result)
    # Photos do not bump the revision: adding one must not turn the worker's next value save into a conflict.
    result.updated_by = user
    result.changed_since_return = True
    result.save()
    audit.record(
        result, action, user=user, from_status=old_status, via=via,
        data={"evidence": evidence.pk, "sha256": evidence.sha256, "name": evidence.original_name},
    )


def _delete_files(evidence: Evidence) -> None:
    for file in (evidence.original, evidence.copy, evidence.display, evidence.thumbnail):
        if file and file.name:
            file.storage.delete(file.name)
