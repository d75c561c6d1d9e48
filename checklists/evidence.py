"""Photo evidence: check and process an upload, store it privately, flag old or reused pictures."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Substr
from django.utils import timezone

from communities.policy import Action

from . import audit
from .models import Evidence, ItemResult
from .photos import PhotoError, ProcessedPhoto, hamming, process_photo
from .services import authorize, locked, refresh_verdict
from .workflow import next_status

NEAR_DUPLICATE_BITS = 6

__all__ = ["PhotoError", "evidence_add", "evidence_remove", "duplicates_of"]


def duplicates_of(photo: ProcessedPhoto, result: ItemResult) -> list[dict]:
    """Return evidence in other communities with the same bytes or a near-identical picture."""
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


def _build(result: ItemResult, photo: ProcessedPhoto, data: bytes, filename: str, user, client_id) -> Evidence:
    evidence = Evidence(
        result=result, original_name=filename[:255], sha256=photo.sha256, phash=photo.phash, size=photo.size,
        format=photo.format, width=photo.width, height=photo.height, taken_at=photo.taken_at,
        gps_lat=photo.gps[0] if photo.gps else None, gps_lon=photo.gps[1] if photo.gps else None,
        client_id=client_id, uploaded_by=user,
    )
    evidence.flag_old = bool(photo.taken_at and photo.taken_at < result.round.opened_at)
    evidence.duplicate_of = duplicates_of(photo, result)
    evidence.flag_duplicate = bool(evidence.duplicate_of)
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic"}[photo.format]
    evidence.original.save(f"original.{extension}", ContentFile(data), save=False)
    evidence.display.save("display.jpg", ContentFile(photo.display), save=False)
    evidence.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
    return evidence


@transaction.atomic
def evidence_add(
    *,
    result: ItemResult,
    user,
    data: bytes,
    filename: str = "",
    client_id: uuid.UUID | None = None,
    via: str = "web",
) -> Evidence:
    """Check, process and attach one photo; a retried upload with the same client id is not added twice.

    Raises PhotoError (with a Chinese message) for anything that is not an acceptable photo.
    """
    result = locked(result)
    authorize(user, result.community, Action.SAVE, via)
    if client_id and (existing := Evidence.objects.filter(client_id=client_id, result=result).first()):
        return existing
    next_status(Action.SAVE, result.status, round_open=result.round.is_open)
    photo = process_photo(data)
    evidence = _build(result, photo, data, filename, user, client_id)
    evidence.save()
    _after_photo_change(result, user, "photo_added", evidence, via)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user, via: str = "web") -> Evidence:
    """Take a photo off an item; the file and its record are kept for the audit trail."""
    evidence = Evidence.objects.select_for_update().select_related("result__round__standard", "result__community").get(
        pk=evidence.pk
    )
    result = evidence.result
    authorize(user, result.community, Action.SAVE, via)
    if evidence.removed_at:
        return evidence
    next_status(Action.SAVE, result.status, round_open=result.round.is_open)
    evidence.removed_at = timezone.now()
    evidence.save(update_fields=["removed_at"])
    _after_photo_change(ItemResult.objects.select_for_update().get(pk=result.pk), user, "photo_removed", evidence, via)
    return evidence


def _after_photo_change(result: ItemResult, user, action: str, evidence: Evidence, via: str) -> None:
    old_status = result.status
    result.status = next_status(Action.SAVE, result.status, round_open=result.round.is_open)
    refresh_verdict(result)
    # Photos do not bump the revision: adding one must not turn the worker's next value save into a conflict.
    result.updated_by = user
    result.save()
    audit.record(
        result, action, user=user, from_status=old_status, via=via,
        data={"evidence": evidence.pk, "sha256": evidence.sha256, "name": evidence.original_name},
    )
