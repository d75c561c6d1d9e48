"""`sweep_orphans`: files with no row are listed (dry run) or removed, never referenced or young ones."""

import io
import os
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from backups.orphans import SWEPT_DIRS, sweep_orphans
from checklists.evidence import evidence_add
from checklists.services import result_for
from jobs.models import Job, job_result_path
from tests.checklists.photo_factory import make_jpeg

DAY = 24 * 3600


def stored(name: str, *, age: float = 0) -> str:
    name = default_storage.save(name, ContentFile(b"x" * 100))
    moment = time.time() - age
    os.utime(default_storage.path(name), (moment, moment))
    return name


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A storage of this test's own: other tests leave their photos behind in the shared test MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def files(round_, community, worker):
    result = result_for(round_=round_, community=community, item_number=2)
    photo = evidence_add(result=result, user=worker, data=make_jpeg(320, 240), filename="ap.jpg")
    kept = [photo.original.name, photo.display.name, photo.thumbnail.name]
    for name in kept:  # referenced files are safe however old they are
        os.utime(default_storage.path(name), (time.time() - 9 * DAY,) * 2)
    return {
        "kept": kept,
        "old": [stored("evidence/2026/379902001001/dead/orphan.jpg", age=3 * DAY),
                stored("jobs/2026/05/gone/覆盖率.xlsx", age=2 * DAY)],
        "young": [stored("evidence/2026/379902001001/inflight/upload.jpg", age=600)],
        "elsewhere": [stored("original_images/logo.png", age=30 * DAY)],
    }


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("sweep_orphans", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_swept_folders_are_where_rows_keep_their_files(files):
    assert {name.split("/")[0] for name in files["kept"]} == {"evidence"}
    assert job_result_path(Job(created_at=timezone.now()), "a.csv").split("/")[0] == "jobs"
    assert SWEPT_DIRS == ("evidence", "jobs")


def test_dry_run_lists_and_keeps_everything(files):
    out, err = run()
    assert out.splitlines() and {line.split("\t")[0] for line in out.splitlines()} == set(files["old"])
    assert "无记录的文件 2 个" in err and "未删除" in err and "另有 1 个在 24 小时宽限期内" in err
    assert all(default_storage.exists(name) for group in files.values() for name in group)


def test_delete_removes_only_old_orphans(files):
    out, err = run("--delete")
    assert "已删除 2 个" in err
    assert not any(default_storage.exists(name) for name in files["old"])
    assert all(default_storage.exists(name) for name in files["kept"] + files["young"] + files["elsewhere"])
    assert not os.path.exists(default_storage.path("evidence/2026/379902001001/dead"))  # its emptied folder too
    assert os.path.exists(default_storage.path("evidence/2026/379902001001"))


def test_a_shorter_grace_reaches_younger_files_but_never_under_an_hour(files):
    assert {o.name for o in sweep_orphans(grace=timedelta(hours=1)).orphans} == set(files["old"])
    with pytest.raises(CommandError, match="宽限期不能少于 1 小时"):
        run("--grace-hours", "0")
