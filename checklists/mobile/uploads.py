"""Hand uploaded photo files to checklists.evidence, reading no more than the size cap allows."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile

from .. import services
from ..evidence import PhotoError, evidence_add
from ..models import Evidence
from ..photos import MAX_BYTES
from .access import Access


def add_photo(access: Access, number: int, user, upload: UploadedFile, client_id: uuid.UUID | None) -> Evidence:
    """Attach one uploaded file to the item; raises PhotoError or TransitionError with a Chinese message."""
    # One byte past the cap is enough for the photo pipeline to refuse an oversized file without reading it all.
    data = upload.read(MAX_BYTES + 1)
    result = services.result_for(round_=access.round, community=access.community, item_number=number)
    return evidence_add(result=result, user=user, data=data, filename=upload.name or "", client_id=client_id)


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
