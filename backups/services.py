"""Back up the database and the media files with a SHA-256 manifest; restore them and prove it worked.

A backup directory holds `manifest.json`, the database dump and `media/` with every stored file (evidence
originals, display copies and thumbnails, job result files, anything else under the storage).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from audit.models import ChainHead
from audit.verify import verify_chain

from . import database
from .checks import FORMAT, MANIFEST, checked_backup, file_sha256, parse_manifest
from .database import BackupError
from .media import referenced_names, stored_sha256, walk


@dataclass
class Outcome:
    manifest: dict
    manifest_sha256: str = ""
    warnings: list[str] = field(default_factory=list)


def backup_create(directory: Path | str) -> Outcome:
    """Write the database dump, then every media file, then the manifest that lists their SHA-256 sums."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"备份目录 {directory} 不是空的：请换一个新目录")
    (directory / "media").mkdir(parents=True, exist_ok=True)
    kind = database.vendor()
    dump = directory / database.DUMP_FILES[kind]
    tables = database.dump(dump)
    # Files after the database: every row in the dump then has its file (files are only ever added).
    files = []
    for name in walk():
        target = directory / "media" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
        digest, size = file_sha256(target)
        files.append({"name": name, "size": size, "sha256": digest})
    stored = {f["name"] for f in files}
    missing = sorted(referenced_names() - stored)
    digest, size = file_sha256(dump)
    head = ChainHead.objects.filter(pk=1).first()
    manifest = {
        "format": FORMAT,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "database": {"vendor": kind, "file": dump.name, "sha256": digest, "size": size, "tables": tables,
                     **({"server_major": database.server_major()} if kind == "postgresql" else {})},
        "media": {"files": files, "missing": missing},
        "audit_chain": {"seq": head.seq, "digest": head.digest} if head else None,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    (directory / MANIFEST).write_text(text, encoding="utf-8")
    outcome = Outcome(manifest, hashlib.sha256(text.encode("utf-8")).hexdigest())
    outcome.warnings += [f"数据库引用的文件在存储中不存在：{name}" for name in missing]
    return outcome


def read_manifest(directory: Path | str) -> dict:
    """Return a backup's manifest, its shape checked (not its digest: see backups.checks)."""
    try:
        return parse_manifest((Path(directory) / MANIFEST).read_bytes())
    except FileNotFoundError:
        raise BackupError(f"{directory} 下没有 {MANIFEST}：不是本系统的备份目录") from None


def _check_target(manifest: dict, force: bool) -> None:
    if manifest["database"]["vendor"] != database.vendor():
        raise BackupError(f"这是 {manifest['database']['vendor']} 的备份，不能恢复到 {database.vendor()} 数据库")
    if not force and not database.is_empty():
        raise BackupError("目标数据库不是空的：请恢复到新建的空数据库；确要覆盖现有数据时加 --force")
    if not force and next(walk(), None) is not None:
        raise BackupError("目标存储（MEDIA_ROOT 或对象存储）里已有文件：请恢复到空的存储；确要覆盖时加 --force")


def backup_restore(directory: Path | str, *, manifest_sha256: str | None, trust_manifest: bool = False,
                   force: bool = False) -> Outcome:
    """Check the whole backup and the target before writing anything, restore database and files, then check
    them again in place."""
    backup = checked_backup(directory, manifest_sha256=manifest_sha256, trust_manifest=trust_manifest)
    _check_target(backup.manifest, force)
    database.restore(backup.database)
    for media in backup.media:
        if default_storage.exists(media.name):
            default_storage.delete(media.name)  # only with --force: the storage was checked empty otherwise
        with media.path.open("rb") as source:
            saved = default_storage.save(media.name, File(source, name=media.name))
        if saved != media.name:
            raise BackupError(f"存储把 {media.name} 另存为了 {saved}")
    outcome = Outcome(backup.manifest, backup.manifest_sha256, warnings=verify_restored(backup.manifest))
    outcome.warnings += audit_after_restore(backup.manifest)
    return outcome


def audit_after_restore(manifest: dict) -> list[str]:
    """Check the restored audit chain, and that its head is the one the backup recorded."""
    verdict = verify_chain()
    if not verdict.ok:
        return [f"恢复的审计链有 {verdict.count} 处问题，第一处：{verdict.problems[0]}"]
    recorded = manifest.get("audit_chain") or {}
    if recorded and (recorded["seq"], recorded["digest"]) != (verdict.head_seq, verdict.head_digest):
        return [f"审计链头与备份时记录的 {recorded['seq']}:{recorded['digest'][:16]}… 不同"]
    return []


def verify_restored(manifest: dict) -> list[str]:
    """Return the differences between the restored database and storage and the manifest."""
    connection.close()
    problems = []
    counts = database.live_counts()
    for table, expected in manifest["database"]["tables"].items():
        if counts.get(table) != expected:
            problems.append(f"表 {table}：清单 {expected} 行，恢复后 {counts.get(table, '不存在')}")
    for entry in manifest["media"]["files"]:
        if not default_storage.exists(entry["name"]):
            problems.append(f"文件 {entry['name']} 没有恢复")
        elif stored_sha256(entry["name"]) != (entry["sha256"], entry["size"]):
            problems.append(f"文件 {entry['name']} 恢复后 SHA-256 不符")
    if problems:
        raise BackupError("恢复后核对不符：\n" + "\n".join(problems))
    return [f"备份时数据库引用但存储中没有的文件：{name}" for name in manifest["media"]["missing"]]
