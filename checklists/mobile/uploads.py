"""Hand uploaded photo files to checklists.evidence, reading no more than the size cap allows."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile

from .. import services
from ..evidence import PhotoError, evidence_add, evidence_add_copy, evidence_add_original
from ..models import Evidence
from ..originals import DeclaredFacts
from ..photos import MAX_BYTES
from .access import Access


def _read(upload: UploadedFile) -> bytes:
    # One byte past the cap is enough for the photo pipeline to refuse an oversized file without reading it all.
    return upload.read(MAX_BYTES + 1)


def add_photo(access: Access, number: int, user, upload: UploadedFile, client_id: uuid.UUID | None,
              declared: DeclaredFacts | None = None) -> Evidence:
    """Attach one uploaded file to the item: the whole photo, or with `declared` the phone's display copy.

    Raises PhotoError or TransitionError with a Chinese message.
    """
    result = services.result_for(round_=access.round, community=access.community, item_number=number)
    common = {"result": result, "user": user, "filename": upload.name or "", "client_id": client_id}
    if declared is not None:
        return evidence_add_copy(copy=_read(upload), declared=declared, **common)
    return evidence_add(data=_read(upload), **common)


def add_original(evidence: Evidence, user, upload: UploadedFile) -> Evidence:
    """Keep the original of a photo added from its copy (refused unless its SHA-256 is the declared one)."""
    return evidence_add_original(evidence=evidence, user=user, data=_read(upload))


def add_uploads(access: Access, number: int, user, files: list[UploadedFile], request_id: uuid.UUID) -> list[str]:
    """Attach several files from a plain form post; return one message per refused file."""
    problems = []
    for index, upload in enumerate(files):
        client_id = uuid.uuid5(request_id, f"{index}:{upload.name}:{upload.size}")
        try:
            add_photo(access, number, user, upload, client_id)
        except (PhotoError, services.TransitionError) as exc:
            problems.append(f"{upload.name}：{exc.message}")
    return problems
