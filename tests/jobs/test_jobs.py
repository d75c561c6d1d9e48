"""Background jobs: enqueued on commit, idempotent, visible progress and failures, retry, the three kinds,
the 我的任务 admin page, and one run through django-tasks' database backend and its db_worker."""

import csv
import io
import zipfile
from urllib.parse import quote

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from audit.actors import system
from checklists import qr
from checklists.evidence import evidence_add
from checklists.services import result_for
from communities.models import ADMIN_GROUP, CityPage, Role, UnitPage
from jobs.models import Job, JobKind, JobStatus
from jobs.services import JobError, enqueue_job, job_retry, may_retry
from tests.checklists.photo_factory import make_jpeg
from tests.site.private_file_checks import assert_private_file

EXPORT = {"round": "2026", "format": "xlsx"}


@pytest.fixture
def bureau(demo, make_user):
    return make_user("job-bureau", Role.BUREAU, CityPage.objects.get(code="379900"))


@pytest.fixture
def verifier(demo, make_user):
    return make_user("job-verifier", Role.VERIFIER, UnitPage.objects.get(code="379902"))


def run(callbacks, **kwargs):
    """Enqueue inside a transaction and let its on-commit hooks run (the immediate backend runs the task)."""
    with callbacks(execute=True):
        job, created = enqueue_job(**kwargs)
    job.refresh_from_db()
    return job, created


def test_export_runs_after_commit_and_leaves_a_workbook(round_, bureau, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as hooks:
        job, created = enqueue_job(kind=JobKind.COVERAGE_EXPORT, params=EXPORT, user=bureau, key="k1")
        assert created and Job.objects.get(pk=job.pk).status == JobStatus.QUEUED  # nothing ran yet
    assert len(hooks) == 1
    for hook in hooks:
        hook()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100 and job.attempts == 1 and job.task_id
    assert job.result_name.endswith(".xlsx")
    book = openpyxl.load_workbook(job.result.open("rb"), read_only=True)
    assert {"设区市", "区县", "社区"} <= set(book.sheetnames)


def test_same_key_same_job(round_, bureau, django_capture_on_commit_callbacks):
    first, created = run(django_capture_on_commit_callbacks, kind=JobKind.COVERAGE_EXPORT, params=EXPORT,
                         user=bureau, key="same")
    again, created_again = run(django_capture_on_commit_callbacks, kind=JobKind.COVERAGE_EXPORT, params=EXPORT,
                               user=bureau, key="same")
    assert created and not created_again and again.pk == first.pk
    assert Job.objects.count() == 1 and again.attempts == 1  # not run twice
    # Without a key, an identical request by the same user is the same job too.
    a, _ = run(django_capture_on_commit_callbacks, kind=JobKind.COVERAGE_EXPORT, params=EXPORT, user=bureau)
    b, _ = run(django_capture_on_commit_callbacks, kind=JobKind.COVERAGE_EXPORT, params=EXPORT, user=bureau)
    assert a.pk == b.pk != first.pk


def test_who_may_start_what(round_, demo, verifier, make_user, community):
    worker = make_user("job-worker", Role.WORKER, community)
    with pytest.raises(PermissionDenied):
        enqueue_job(kind=JobKind.COVERAGE_EXPORT, params=EXPORT, user=worker)
    with pytest.raises(PermissionDenied):
        enqueue_job(kind=JobKind.PHOTO_RENDITIONS, params={"round": "2026"}, user=verifier)
    with pytest.raises(JobError, match="无权"):
        enqueue_job(kind=JobKind.QR_SHEETS, params={"unit": "379921"}, user=verifier)  # not the verifier's unit
    assert not Job.objects.exists()


def test_failure_is_visible_and_retry_runs_again(demo, round_, verifier, monkeypatch,
                                                 django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise RuntimeError("二维码服务不可用")

    monkeypatch.setattr(qr, "community_sheet", broken)
    job, _ = run(django_capture_on_commit_callbacks, kind=JobKind.QR_SHEETS, params={"street": "379902001"},
                 user=verifier)
    assert job.status == JobStatus.FAILED and "二维码服务不可用" in job.error and may_retry(job)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=job, user=verifier)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2 and job.error == ""
    with pytest.raises(JobError):
        job_retry(job=job, user=verifier)  # a finished job is not run again


def test_qr_batch_for_a_street(demo, round_, verifier, django_capture_on_commit_callbacks):
    job, _ = run(django_capture_on_commit_callbacks, kind=JobKind.QR_SHEETS, params={"street": "379902001"},
                 user=verifier)
    archive = zipfile.ZipFile(job.result.open("rb"))
    html = "".join(archive.read(name).decode() for name in archive.namelist())
    assert archive.namelist() == ["379902001-01.html"]
    assert html.count('class="sheet"') == 5 and "379902001001" in html and "<svg" in html


def test_photo_renditions_rebuilt_from_the_original(demo, round_, community, make_user,
                                                    django_capture_on_commit_callbacks):
    admin = make_user("job-admin")
    admin.is_superuser = True
    admin.save()
    result = result_for(round_=round_, community=community, item_number=3)
    evidence = evidence_add(result=result, user=admin, data=make_jpeg(1600, 1200, orientation=6, pattern_seed=3),
                            filename="a.jpg")
    broken = evidence_add(result=result, user=admin, data=make_jpeg(800, 600, pattern_seed=4), filename="b.jpg")
    type(broken).objects.filter(pk=broken.pk).update(sha256="0" * 64)
    old_display = evidence.display.name
    evidence.display.storage.delete(old_display)  # e.g. lost in a storage move
    job, _ = run(django_capture_on_commit_callbacks, kind=JobKind.PHOTO_RENDITIONS,
                 params={"round": "2026", "community": community.code}, user=admin)
    evidence.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert evidence.display.name != old_display and evidence.display.storage.exists(evidence.display.name)
    rows = list(csv.reader(io.StringIO(job.result.open("rb").read().decode("utf-8-sig"))))
    outcomes = {int(row[0]): row[1] for row in rows[1:]}
    assert outcomes == {evidence.pk: "已重建", broken.pk: "失败"}


def test_my_jobs_page(round_, bureau, make_user, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(bureau)
    page = client.get("/admin/jobs/")
    assert page.status_code == 200 and "我的任务" in page.content.decode()
    key = page.context["form"]["key"].value()
    form = {"kind": JobKind.COVERAGE_EXPORT, "round": "2026", "format": "xlsx", "region": "", "key": key}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/admin/jobs/", form).status_code == 302
        assert client.post("/admin/jobs/", form).status_code == 302  # a double click
    job = Job.objects.get()
    status = client.get(f"/admin/jobs/{job.pk}/status/").json()
    assert status["status"] == "done" and status["progress"] == 100 and status["download"]
    download = client.get(status["download"])
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert_private_file(download, download=True, filename=quote(job.result_name))
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    listing = client.get("/admin/jobs/").content.decode()
    assert "下载" in listing and "覆盖率导出" in listing
    stranger = make_user("job-stranger", Role.BUREAU, CityPage.objects.get(code="379900"))
    other = Client()
    other.force_login(stranger)
    assert other.get(f"/admin/jobs/{job.pk}/download/").status_code == 404
    # Seeing and retrying everyone's jobs is the policy's MANAGE_JOBS: an administrator of the 管理员 group
    # (not a superuser) may, like a superuser; nobody else may.
    administrator = make_user("job-administrator")
    administrator.groups.add(Group.objects.get(name=ADMIN_GROUP))
    other.force_login(administrator)
    assert other.get(f"/admin/jobs/{job.pk}/download/").status_code == 200
    assert f"/admin/jobs/{job.pk}/" in other.get("/admin/jobs/").content.decode()
    with pytest.raises(PermissionDenied, match="只能查看和重试自己提交的任务"):
        job_retry(job=job, user=stranger)


@pytest.mark.django_db(transaction=True)
def test_database_backend_and_db_worker(settings, demo, make_user):
    from django_tasks_db.models import DBTaskResult

    from standards.rounds import round_open
    from standards.versions import load_file

    load_file(user=system("tests"))
    round_open("2026", user=system("tests"))
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    bureau = make_user("db-bureau", Role.BUREAU, CityPage.objects.get(code="379900"))
    job, _ = enqueue_job(kind=JobKind.COVERAGE_EXPORT, params=EXPORT, user=bureau)  # autocommit: on_commit fires
    job.refresh_from_db()
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert job.status == JobStatus.QUEUED and task.status == "READY"
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0)
    job.refresh_from_db()
    task.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result and task.status == "SUCCESSFUL"



def test_my_jobs_page_in_english(round_, bureau):
    # One language per screen (issue 20): the page, the kinds, the statuses and the fixed progress messages (stored
    # as their Chinese msgid) read in English for a person who chose it; Chinese stays the default.
    client = Client()
    client.force_login(bureau)
    enqueue_job(kind=JobKind.COVERAGE_EXPORT, params={"round": "2026", "format": "csv"}, user=bureau)
    chinese = client.get("/admin/jobs/").content.decode()
    assert "新建任务" in chinese and "等待后台处理" in chinese and "排队中" in chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/admin/jobs/").content.decode()
    for words in ("My jobs", "New job", "Submit to the background", "Coverage export", "Queued",
                  "Waiting for the background worker", "Job type"):
        assert words in page, words
    for chinese_words in ("新建任务", "等待后台处理", "排队中", "覆盖率导出"):
        assert chinese_words not in page, chinese_words
    assert Job.objects.get().message == "等待后台处理"  # stored as the msgid
