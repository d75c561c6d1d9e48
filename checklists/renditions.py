"""Rebuild a photo's display copy and thumbnail from its kept original (after a storage move or a change to
the photo pipeline). The original itself is never rewritten: it is the evidence."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from .models import Evidence
from .photos import PhotoError, processed


class RenditionError(Exception):
    """One photo could not be rebuilt; `message` says why in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _source(evidence: Evidence) -> tuple[bytes, bool]:
    """Return the bytes to rebuild from and whether they are the original (else the phone's display copy)."""
    file = evidence.original or evidence.copy
    if not file:
        raise RenditionError("原图尚未上传，也没有手机压缩副本")
    try:
        with file.open("rb") as handle:
            return handle.read(), bool(evidence.original)
    except (FileNotFoundError, OSError) as exc:
        raise RenditionError(f"{'原图' if evidence.original else '手机压缩副本'}文件缺失：{file.name}") from exc


def renditions_rebuild(evidence: Evidence) -> Evidence:
    """Write fresh display and thumbnail files for the evidence, then drop the old ones once committed.

    A photo whose original has not arrived yet is rebuilt from the display copy the phone sent.
    """
    data, is_original = _source(evidence)
    try:
        photo = processed(data)
    except PhotoError as exc:
        raise RenditionError(exc.message) from exc
    if is_original and photo.sha256 != evidence.sha256:
        # The stored original no longer matches what was uploaded: keep the old renditions, flag it.
        raise RenditionError("原图内容与上传时的 SHA-256 不一致，请核查存储")
    old = [name for name in (evidence.display.name, evidence.thumbnail.name) if name]
    storage = evidence.display.storage
    evidence.display.save("display.jpg", ContentFile(photo.display), save=False)
    evidence.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)

    def drop_old() -> None:
        for name in old:
            storage.delete(name)

    with transaction.atomic():
        Evidence.objects.filter(pk=evidence.pk).update(display=evidence.display.name,
                                                       thumbnail=evidence.thumbnail.name)
        transaction.on_commit(drop_old)
    return evidence
