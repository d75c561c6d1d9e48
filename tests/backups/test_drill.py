"""The backup and restore drill: back up a working database and its files, restore into an empty database and
an empty storage in a fresh process (as an operator would), and compare every row count and every file hash."""

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from backups import database
from backups.services import read_manifest
from checklists import decisions, services
from checklists.evidence import evidence_add
from checklists.models import Evidence
from communities.models import CityPage, CommunityPage, Role
from jobs.models import Job, JobKind, JobStatus
from jobs.services import enqueue_job
from tests.checklists.photo_factory import make_jpeg

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads committed data from its own connection


def user(name):
    return get_user_model().objects.get(username=name)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def working(round_, demo, make_user, settings, tmp_path):
    """Answers with photos through the real services, a decision, and a finished export job with its file."""
    settings.MEDIA_ROOT = tmp_path / "media"  # this test's own storage: others leave files in the shared one
    for n, code in enumerate(["379902001001", "379902001002"]):
        community = CommunityPage.objects.get(code=code)
        result = services.answer_save(round_=round_, community=community, item_number=2, user=user("worker"),
                                      values={"wireless_on_demand": True}).result
        evidence_add(result=result, user=user("worker"), data=make_jpeg(640, 480, pattern_seed=n), filename="ap.jpg")
        services.item_submit(result=result, user=user("worker"))
        decisions.item_approve(result=result, user=user("verifier"))
    bureau = make_user("drill-bureau", Role.BUREAU, CityPage.objects.get(code="379900"))
    job, _ = enqueue_job(kind=JobKind.COVERAGE_EXPORT, params={"round": "2026", "format": "xlsx"}, user=bureau)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result
    return job


@pytest.fixture
def target(tmp_path):
    """An empty database of the same kind as the test database, and its URL; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: sqlite_counts(tmp_path / "restored.sqlite3")
        return
    import psycopg

    name = f"zhsq_drill_{uuid.uuid4().hex[:8]}"
    params = connection.settings_dict
    conninfo = dict(host=params["HOST"], port=params["PORT"], user=params["USER"], password=params["PASSWORD"],
                    dbname="postgres", autocommit=True)
    with psycopg.connect(**conninfo) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{name}"
    try:
        yield url, lambda: pg_counts({**conninfo, "dbname": name})
    finally:
        with psycopg.connect(**conninfo) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                            "AND name NOT LIKE 'sqlite_%'")]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def pg_counts(conninfo: dict) -> dict[str, int]:
    import psycopg

    with psycopg.connect(**conninfo) as db:
        tables = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def restore_elsewhere(backup: Path, url: str, media: Path, *extra) -> subprocess.CompletedProcess:
    """Run `manage.py restore` as an operator would: production settings, another database and MEDIA_ROOT."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORAGE_S3", "AWS_", "DJANGO_"))}
    env.update(DJANGO_SETTINGS_MODULE="smartsite.settings.production", SECRET_KEY="drill", DATABASE_URL=url,
               MEDIA_ROOT=str(media), DEVTOOLS="1")
    return subprocess.run([sys.executable, "manage.py", "restore", str(backup), *extra], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def backed_up(directory: Path) -> str:
    """Run `backup` as an operator would and return the manifest digest it tells them to keep apart."""
    out = StringIO()
    call_command("backup", str(directory), stdout=out)
    return re.search(r"--manifest-sha256 ([0-9a-f]{64})", out.getvalue()).group(1)


def test_backup_and_restore_drill(working, target, tmp_path):
    backup, media = tmp_path / "backup", tmp_path / "restored-media"
    digest = backed_up(backup)
    source_counts = database.live_counts()
    manifest = read_manifest(backup)
    assert manifest["database"]["tables"] == source_counts and source_counts["checklists_evidence"] == 2
    source_files = {f["name"]: f["sha256"] for f in manifest["media"]["files"]}
    evidence = list(Evidence.objects.all())
    referenced = {e.original.name for e in evidence} | {e.display.name for e in evidence}
    referenced |= {e.thumbnail.name for e in evidence} | {Job.objects.get().result.name}
    assert referenced <= set(source_files) and not manifest["media"]["missing"]
    assert all(sha256(Path(settings.MEDIA_ROOT) / name) == digest for name, digest in source_files.items())

    url, counts = target
    unproven = restore_elsewhere(backup, url, media)  # the digest kept apart is asked for
    assert unproven.returncode != 0 and "请用 --manifest-sha256" in unproven.stderr and not media.exists()
    done = restore_elsewhere(backup, url, media, "--manifest-sha256", digest)
    assert done.returncode == 0, done.stderr
    assert "已恢复并核对" in done.stdout
    assert counts() == source_counts  # every table, row for row
    restored = {str(p.relative_to(media)): sha256(p) for p in media.rglob("*") if p.is_file()}
    assert restored == source_files  # every file, byte for byte: evidence originals, renditions, job results
    assert all(restored[e.original.name] == e.sha256 for e in evidence)

    again = restore_elsewhere(backup, url, tmp_path / "other-media", "--manifest-sha256", digest)
    assert again.returncode != 0 and "目标数据库不是空的" in again.stderr
    forced = restore_elsewhere(backup, url, media, "--trust-manifest", "--force")  # repeating a drill over the last
    assert forced.returncode == 0, forced.stderr
    assert counts() == source_counts


def test_a_damaged_backup_restores_nothing(working, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    photo = next(p for p in (backup / "media" / "evidence").rglob("*") if p.is_file())
    photo.write_bytes(photo.read_bytes()[:-10])
    with pytest.raises(CommandError, match="备份与清单不符，未做任何恢复") as caught:
        call_command("restore", str(backup), "--trust-manifest")
    assert str(photo.relative_to(backup)) in str(caught.value)
    with pytest.raises(CommandError, match="备份目录 .* 不是空的"):
        call_command("backup", str(backup))
    with pytest.raises(CommandError, match="没有 manifest.json"):
        call_command("restore", str(tmp_path), "--trust-manifest")


def test_the_live_database_is_never_overwritten_without_force(working, tmp_path):
    call_command("backup", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="目标数据库不是空的.*--force"):
        call_command("restore", str(tmp_path / "backup"), "--trust-manifest")


# --- a restore checks everything before it writes anything (the red team's five reproductions) ---------------


@pytest.fixture
def backup(settings, tmp_path, make_user):
    """A small backup (this database and two stored files) and the digest `backup` printed; afterwards the site
    has a new, empty MEDIA_ROOT and a user made after the backup, so anything a refused restore wrote shows."""
    settings.MEDIA_ROOT = tmp_path / "source-media"
    for name in ("evidence/2026/ab/one.jpg", "jobs/result.csv"):
        default_storage.save(name, ContentFile(f"bytes of {name}".encode()))
    directory = tmp_path / "backup"
    digest = backed_up(directory)
    settings.MEDIA_ROOT = tmp_path / "live-media"
    make_user("made-after-the-backup")
    return directory, digest


def rewritten(directory: Path, change) -> str:
    """Let `change(manifest)` edit the manifest, write it back and return its new digest: an attacker who can
    write the backup can re-hash its manifest too."""
    path = directory / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(directory: Path, *args) -> str:
    """Restore with --force, so the checks alone stand between the backup and the live data; return the refusal."""
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(directory), *args, "--force")
    assert get_user_model().objects.filter(username="made-after-the-backup").exists()  # the database untouched
    live = Path(settings.MEDIA_ROOT)
    assert not live.exists() or not any(live.rglob("*"))  # and nothing stored
    return str(caught.value)


def add_file(directory: Path, name: str, data: bytes) -> dict:
    return {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_a_rehashed_backup_is_refused_with_the_digest_kept_apart(backup):
    directory, digest = backup
    dump = directory / read_manifest(directory)["database"]["file"]
    dump.write_bytes(dump.read_bytes() + b"tampered")

    def rehash(manifest):
        manifest["database"]["sha256"], manifest["database"]["size"] = sha256(dump), dump.stat().st_size

    forged = rewritten(directory, rehash)
    message = refused(directory, "--manifest-sha256", digest)
    assert f"清单 manifest.json 的 SHA-256 是 {forged}，不是给出的 {digest}" in message
    assert "请用 --manifest-sha256" in refused(directory)  # no digest: refused unless the risk is accepted
    assert "64 位十六进制数" in refused(directory, "--manifest-sha256", "最新")


def test_a_symlink_anywhere_in_the_backup_is_refused(backup, tmp_path):
    directory, _ = backup
    secret = tmp_path / "host-secret.txt"
    secret.write_bytes(b"root:x:0:0")
    (directory / "media" / "evidence" / "2026" / "stolen.jpg").symlink_to(secret)
    digest = rewritten(directory, lambda m: m["media"]["files"].append(
        add_file(directory, "evidence/2026/stolen.jpg", secret.read_bytes())))
    message = refused(directory, "--manifest-sha256", digest)
    assert "符号链接 media/evidence/2026/stolen.jpg" in message and "拒绝恢复" in message
    (directory / "media" / "evidence" / "2026" / "stolen.jpg").unlink()
    (directory / "media" / "linked").symlink_to(tmp_path, target_is_directory=True)  # a folder counts too
    assert "符号链接 media/linked" in refused(directory, "--trust-manifest")


@pytest.mark.parametrize("named", ["/etc/passwd", "../elsewhere.sqlite3", "media/jobs/result.csv", "database.pgdump"])
def test_database_file_must_be_the_dump_inside_the_backup(backup, named):
    directory, _ = backup
    if named == "database.pgdump" and connection.vendor == "postgresql":
        named = "database.sqlite3"  # the other kind's file name

    def rename(manifest):
        manifest["database"]["file"] = named

    message = refused(directory, "--manifest-sha256", rewritten(directory, rename))
    assert "database.file 只能是备份目录里的" in message and named in message


@pytest.mark.parametrize("name", ["/tmp/zhsq-restore-escape.txt", "../../outside.txt", "evidence/../../x.txt",
                                  "evidence//x.txt", "./evidence/x.txt", "C:\\evil.txt"])
def test_media_names_that_leave_the_storage_are_refused(backup, name):
    """An absolute name used to restore the database, then traceback half-way through the files."""
    directory, _ = backup
    digest = rewritten(directory, lambda m: m["media"]["files"].append(add_file(directory, name, b"x")))
    message = refused(directory, "--manifest-sha256", digest)
    assert "不是普通的相对路径" in message and "拒绝恢复" in message
    assert not Path("/tmp/zhsq-restore-escape.txt").exists()


def test_a_manifest_of_the_wrong_shape_is_named(backup):
    directory, _ = backup
    digest = rewritten(directory, lambda m: m["media"]["files"].append({"name": "evidence/x.jpg", "size": "1"}))
    assert "清单格式不对：media.files[2].sha256 缺失或类型不对" in refused(directory, "--manifest-sha256", digest)
