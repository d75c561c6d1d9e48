"""Files in the media storage that no row points at: evidence whose upload never committed, job results of
rows that are gone. Listed by default; removed only when asked, and never while they may be an upload in flight.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from .media import referenced_names, walk

# Where rows keep their files: checklists.models.evidence_path and jobs.models.job_result_path. Other media
# (Wagtail images and documents) are managed by Wagtail and not swept.
SWEPT_DIRS = ("evidence", "jobs")
DEFAULT_GRACE = timedelta(hours=24)
LEAST_GRACE = timedelta(hours=1)  # a photo upload stores its files a moment before its row commits


@dataclass(frozen=True)
class Orphan:
    name: str
    size: int
    modified: datetime


@dataclass
class Sweep:
    orphans: list[Orphan] = field(default_factory=list)
    young: list[Orphan] = field(default_factory=list)  # no row yet, but within the grace period: left alone
    deleted: list[str] = field(default_factory=list)


def find_orphans(*, grace: timedelta = DEFAULT_GRACE, storage: Storage = default_storage) -> Sweep:
    """Return the swept directories' files with no row, split into old enough to remove and still young."""
    if grace < LEAST_GRACE:
        raise ValueError("宽限期不能少于 1 小时：正在上传的照片会先存文件再写记录")
    known = referenced_names()
    cutoff = timezone.now() - grace
    sweep = Sweep()
    for top in SWEPT_DIRS:
        for name in walk(storage, top):
            if name in known:
                continue
            orphan = Orphan(name, storage.size(name), storage.get_modified_time(name))
            (sweep.orphans if orphan.modified < cutoff else sweep.young).append(orphan)
    return sweep


def sweep_orphans(*, delete: bool = False, grace: timedelta = DEFAULT_GRACE,
                  storage: Storage = default_storage) -> Sweep:
    """List orphaned files; with `delete`, remove those older than the grace period (and emptied folders)."""
    sweep = find_orphans(grace=grace, storage=storage)
    if delete:
        known = referenced_names()  # read again: a row may have been written since the listing
        for orphan in sweep.orphans:
            if orphan.name not in known:
                storage.delete(orphan.name)
                sweep.deleted.append(orphan.name)
        _remove_empty_folders(storage, sweep.deleted)
    return sweep


def _remove_empty_folders(storage: Storage, names: list[str]) -> None:
    """Local storage keeps a folder per photo; remove those the sweep emptied (object stores have none)."""
    try:
        root = storage.path("")
    except NotImplementedError:
        return
    folders = {parent for name in names for parent in PurePosixPath(name).parents if str(parent) not in ("", ".")}
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if folder.parts[0] not in SWEPT_DIRS or len(folder.parts) == 1:
            continue
        try:
            os.rmdir(os.path.join(root, *folder.parts))
        except OSError:
            pass  # not empty, or already gone
