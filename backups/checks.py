"""Everything a restore checks before it writes anything: a backup directory is input, and is not trusted.

In this order, each refusal a named Chinese error and nothing written:

1. no symbolic link anywhere under the directory (a link under `media/` would pull a host file into the storage,
   where it would be served as evidence);
2. the manifest's own SHA-256 is the one `backup` printed and the operator kept apart (`--manifest-sha256`);
   without it the restore refuses unless the operator says `--trust-manifest`: whoever can rewrite the backup
   can rewrite its manifest too, so a manifest checked only against itself proves nothing;
3. the manifest's shape: the format, the database entry, every media entry;
4. `database.file` is exactly the dump file of its kind (`database.sqlite3`, `database.pgdump`) inside the
   directory, never another path;
5. every media name is a plain relative path (no absolute path, no `..`, no empty or `.` part, no backslash)
   that stays inside `media/` of the backup and inside MEDIA_ROOT;
6. every file has the size and SHA-256 the manifest gives.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage

from .database import DUMP_FILES, BackupError
from .media import sha256_of

MANIFEST = "manifest.json"
FORMAT = "zhsq-backup/1"
HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class MediaFile:
    name: str  # the storage name, e.g. evidence/2026/…/original.jpg
    path: Path  # where its bytes are in the backup
    sha256: str
    size: int


@dataclass(frozen=True)
class CheckedBackup:
    """A backup directory that passed every check: what to restore, from where."""

    manifest: dict
    manifest_sha256: str
    database: Path
    media: list[MediaFile]


def file_sha256(path: Path) -> tuple[str, int]:
    with path.open("rb") as stream:
        return sha256_of(stream)


def no_symlinks(directory: Path) -> None:
    """Refuse a backup with a symbolic link anywhere under it (files and folders, however deep)."""
    for top, folders, files in os.walk(directory, followlinks=False):
        for name in [*folders, *files]:
            path = Path(top) / name
            if path.is_symlink():
                shown = f"{path.relative_to(directory)} → {os.readlink(path)}"
                raise BackupError(f"备份目录里有符号链接 {shown}：拒绝恢复，未做任何改动（备份里只应有普通文件）")


def manifest_digest(raw: bytes, expected: str | None, trust: bool) -> str:
    """Return the manifest's SHA-256 once it is the one the operator kept apart (or they chose to trust it)."""
    digest = hashlib.sha256(raw).hexdigest()
    if expected is None:
        if not trust:
            raise BackupError("请用 --manifest-sha256 给出备份时打印、另行保存的清单哈希；确实没有时加 --trust-manifest"
                              "（表示您接受风险：备份连同清单被改写也无从发现）")
        return digest
    expected = expected.strip().lower()
    if not HEX64.fullmatch(expected):
        raise BackupError(f"--manifest-sha256 应为 64 位十六进制数（backup 命令打印的那一串），不是：{expected}")
    if digest != expected:
        raise BackupError(f"清单 {MANIFEST} 的 SHA-256 是 {digest}，不是给出的 {expected}：备份被改动过，"
                          "或不是那一次的备份，未做任何恢复")
    return digest


def _entry(value, where: str, keys: dict[str, type]) -> dict:
    if not isinstance(value, dict):
        raise BackupError(f"清单格式不对：{where} 应是一个对象")
    for key, kind in keys.items():
        if not isinstance(value.get(key), kind) or isinstance(value.get(key), bool):
            raise BackupError(f"清单格式不对：{where}.{key} 缺失或类型不对")
    if "sha256" in keys and not HEX64.fullmatch(value["sha256"]):
        raise BackupError(f"清单格式不对：{where}.sha256 不是 64 位十六进制数")
    return value


def parse_manifest(raw: bytes) -> dict:
    """Return the manifest, its shape checked (every field the restore reads, with its type)."""
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except ValueError as exc:
        raise BackupError(f"{MANIFEST} 已损坏：{exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式：{manifest.get('format') if isinstance(manifest, dict) else manifest!r}")
    db = _entry(manifest.get("database"), "database", {"vendor": str, "file": str, "sha256": str, "size": int,
                                                          "tables": dict})
    if not all(isinstance(k, str) and isinstance(v, int) for k, v in db["tables"].items()):
        raise BackupError("清单格式不对：database.tables 应是“表名: 行数”")
    media = _entry(manifest.get("media"), "media", {"files": list, "missing": list})
    for n, entry in enumerate(media["files"]):
        _entry(entry, f"media.files[{n}]", {"name": str, "sha256": str, "size": int})
    return manifest


def database_file(directory: Path, manifest: dict) -> Path:
    """Return the dump file: exactly the file of its kind inside the directory, whatever the manifest names."""
    vendor, named = manifest["database"]["vendor"], manifest["database"]["file"]
    if vendor not in DUMP_FILES:
        raise BackupError(f"清单的 database.vendor 是 {vendor}：只认识 PostgreSQL 和 SQLite 的备份")
    if named != DUMP_FILES[vendor]:
        raise BackupError(f"清单的 database.file 只能是备份目录里的 {DUMP_FILES[vendor]}，不能是 {named}：拒绝恢复")
    return directory / named


def media_file(directory: Path, entry: dict) -> MediaFile:
    """Return a media entry once its name is a plain relative path that stays inside the backup and the storage."""
    name = entry["name"]
    # Split by hand: PurePosixPath would quietly drop "." parts and doubled slashes.
    unsafe = (name.startswith("/") or "\\" in name or "\0" in name or re.match(r"[A-Za-z]:", name)
              or any(part in ("", ".", "..") for part in name.split("/")))
    if unsafe:
        raise BackupError(f"清单里的文件名 {name!r} 不是普通的相对路径（绝对路径、含 .. 或空的一段）：拒绝恢复")
    base = (directory / "media").resolve()
    path = directory / "media" / name
    if not path.resolve().is_relative_to(base):
        raise BackupError(f"清单里的文件名 {name!r} 越出了备份的 media 目录：拒绝恢复")
    try:
        target = default_storage.path(name)
    except NotImplementedError:
        target = None  # object storage: names are keys, with no directory to leave
    except SuspiciousFileOperation:
        raise BackupError(f"清单里的文件名 {name!r} 越出了 MEDIA_ROOT：拒绝恢复") from None
    root = getattr(default_storage, "location", None)
    if target is not None and root and not Path(target).resolve().is_relative_to(Path(root).resolve()):
        raise BackupError(f"清单里的文件名 {name!r} 越出了 MEDIA_ROOT：拒绝恢复")
    return MediaFile(name, path, entry["sha256"], entry["size"])


def altered(files: list[tuple[str, Path, str, int]]) -> list[str]:
    """Return what no longer matches its manifest entry: a missing (or not regular) file, a size or digest."""
    problems = []
    for shown, path, sha256, size in files:
        if not path.is_file():
            problems.append(f"缺少文件 {shown}")
        elif file_sha256(path) != (sha256, size):
            problems.append(f"文件 {shown} 的 SHA-256 与清单不符")
    return problems


def checked_backup(directory: Path | str, *, manifest_sha256: str | None, trust_manifest: bool) -> CheckedBackup:
    """Check a backup directory through and through (reading only); raise BackupError at the first refusal."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BackupError(f"{directory} 不是目录")
    no_symlinks(directory)
    try:
        raw = (directory / MANIFEST).read_bytes()
    except FileNotFoundError:
        raise BackupError(f"{directory} 下没有 {MANIFEST}：不是本系统的备份目录") from None
    digest = manifest_digest(raw, manifest_sha256, trust_manifest)
    manifest = parse_manifest(raw)
    dump = database_file(directory, manifest)
    media = [media_file(directory, entry) for entry in manifest["media"]["files"]]
    if len({m.name for m in media}) != len(media):
        raise BackupError("清单里有重复的文件名：拒绝恢复")
    db = manifest["database"]
    problems = altered([(dump.name, dump, db["sha256"], db["size"])]
                       + [(f"media/{m.name}", m.path, m.sha256, m.size) for m in media])
    if problems:
        raise BackupError("备份与清单不符，未做任何恢复：\n" + "\n".join(problems))
    return CheckedBackup(manifest, digest, dump, media)
