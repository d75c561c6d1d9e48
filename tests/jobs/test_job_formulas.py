"""Job outputs keep hostile text inert: the coverage export (CSV and XLSX) and the photo-rebuild report."""

import pytest

from checklists.evidence import evidence_add
from checklists.renditions import RenditionError
from checklists.services import result_for
from communities.models import CityPage, CommunityPage, Role
from jobs import kinds
from jobs.models import JobKind, JobStatus
from jobs.services import enqueue_job
from tests.checklists.photo_factory import make_jpeg
from tests.site.formula_checks import DANGEROUS, assert_csv_inert, assert_xlsx_inert

CODES = ["379902001001", "379902001002", "379902001003", "379902001004", "379902001005", "379902002001"]


def run(callbacks, **kwargs):
    with callbacks(execute=True):
        job, _ = enqueue_job(**kwargs)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return job.result.open("rb").read()


@pytest.fixture
def hostile(round_, demo):
    for code, name in zip(CODES, DANGEROUS, strict=True):
        CommunityPage.objects.filter(code=code).update(title=name)
    return round_


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_coverage_export_job(hostile, make_user, django_capture_on_commit_callbacks, fmt):
    bureau = make_user("job-bureau", Role.BUREAU, CityPage.objects.get(code="379900"))
    content = run(django_capture_on_commit_callbacks, kind=JobKind.COVERAGE_EXPORT, user=bureau, key=fmt,
                  params={"round": "2026", "format": fmt, "sheet": "communities"})
    if fmt == "csv":
        assert_csv_inert(content.decode("utf-8-sig"))
    else:
        assert_xlsx_inert(content)


def test_photo_rebuild_report(round_, community, make_user, monkeypatch, django_capture_on_commit_callbacks):
    admin = make_user("job-admin")
    admin.is_superuser = True
    admin.save()
    result = result_for(round_=round_, community=community, item_number=3)
    photos = [evidence_add(result=result, user=admin, data=make_jpeg(320, 240, pattern_seed=n), filename=f"{n}.jpg")
              for n in range(len(DANGEROUS))]
    messages = {photo.pk: text for photo, text in zip(photos, DANGEROUS, strict=True)}

    def fails(evidence):  # a message quoting a file or storage name the photo came with
        raise RenditionError(messages[evidence.pk])

    monkeypatch.setattr(kinds, "renditions_rebuild", fails)
    content = run(django_capture_on_commit_callbacks, kind=JobKind.PHOTO_RENDITIONS, user=admin,
                  params={"round": "2026", "community": community.code})
    rows = assert_csv_inert(content.decode("utf-8-sig"))
    assert {row[0] for row in rows[1:]} == {str(pk) for pk in messages}  # photo numbers stay plain numbers
