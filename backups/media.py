"""What the media storage holds, and which of it the database points at (backups, orphan sweeps).

Works through the Storage API only, so the same code runs on local MEDIA_ROOT and on S3-compatible storage.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.db import models

CHUNK = 1024 * 1024


def walk(storage: Storage = default_storage, top: str = "") -> Iterator[str]:
    """Yield the name of every file under `top`, depth first, in name order."""
    try:
        directories, files = storage.listdir(top)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{top}/{name}" if top else name
    for directory in sorted(directories):
        yield from walk(storage, f"{top}/{directory}" if top else directory)


def sha256_of(stream) -> tuple[str, int]:
    """Return the SHA-256 and size of a binary stream, read in 1 MB chunks."""
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def stored_sha256(name: str, storage: Storage = default_storage) -> tuple[str, int]:
    with storage.open(name, "rb") as stream:
        return sha256_of(stream)


def file_fields() -> list[tuple[type[models.Model], str]]:
    """Return (model, field name) of every file field of every installed model."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def referenced_names() -> set[str]:
    """Return every file name any row points at (evidence, job results, Wagtail images and documents...)."""
    names: set[str] = set()
    for model, name in file_fields():
        values = model._base_manager.exclude(**{name: ""}).exclude(**{f"{name}__isnull": True})
        names.update(values.values_list(name, flat=True).iterator(chunk_size=10_000))
    return names
