"""Evidence on S3-compatible object storage (moto's server on 127.0.0.1): private objects, signed expiring URLs."""

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.storage import default_storage
from django.test import Client

from checklists.evidence import evidence_add
from checklists.services import result_for
from communities.models import Role
from smartsite.object_storage import s3_storage
from tests.checklists.photo_factory import make_jpeg

ROOT = Path(__file__).resolve().parents[2]
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture
def photo(s3_bucket, round_, community, make_user):
    worker = make_user("s3-worker", Role.WORKER, community)
    result = result_for(round_=round_, community=community, item_number=2)
    data = make_jpeg(1200, 900, pattern_seed=6)
    evidence = evidence_add(result=result, user=worker, data=data, filename="路灯.jpg")
    return evidence, data, worker


def test_settings_come_from_the_environment():
    assert s3_storage({}) is None
    config = s3_storage({"AWS_STORAGE_BUCKET_NAME": "b", "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
                         "STORAGE_S3_REGION": "cn-east-1"})
    options = config["OPTIONS"]
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == "b" and options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["region_name"] == "cn-east-1" and "access_key" not in options  # boto's own chain
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["querystring_expire"] == 300 and options["custom_domain"] is None


def test_production_settings_pick_up_the_bucket():
    code = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['default']))"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "smartsite.settings.production", "SECRET_KEY": "k" * 50,
           "STORAGE_S3_BUCKET": "evidence", "STORAGE_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
           "STORAGE_S3_URL_EXPIRE": "120", "PYTHONPATH": f"{ROOT}:{ROOT / 'site'}"}
    done = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    storage = json.loads(done.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "evidence" and storage["OPTIONS"]["querystring_expire"] == 120


def test_evidence_is_stored_in_the_bucket_privately(photo, s3_bucket):
    evidence, data, _ = photo
    client, bucket = s3_bucket
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    for file in (evidence.original, evidence.display, evidence.thumbnail):
        assert client.head_object(Bucket=bucket, Key=file.name)["ContentLength"] > 0
        grants = client.get_object_acl(Bucket=bucket, Key=file.name)["Grants"]
        assert grants and all(g["Grantee"].get("URI") != ALL_USERS for g in grants)
        assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only
    stored = client.get_object(Bucket=bucket, Key=evidence.original.name)["Body"].read()
    assert stored == data


def test_urls_are_signed_and_expire_and_unsigned_access_is_denied(photo, s3_endpoint, s3_bucket):
    evidence, data, _ = photo
    _, bucket = s3_bucket
    url = evidence.original.url
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert parts.netloc == urlsplit(s3_endpoint).netloc and parts.path.startswith(f"/{bucket}/")
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and query["X-Amz-Signature"][0]
    assert query["X-Amz-Expires"] == ["300"]
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - signed_at).total_seconds()) < 60
    assert requests.get(url, timeout=10).content == data
    # The same object without the signature: refused, so there is no public URL to leak.
    unsigned = f"{parts.scheme}://{parts.netloc}{parts.path}"
    assert requests.get(unsigned, timeout=10).status_code == 403
    assert requests.get(f"{s3_endpoint}/{bucket}/", timeout=10).status_code in (200, 403)


def test_app_still_decides_who_sees_evidence(photo, other_unit_community, make_user, community):
    evidence, data, worker = photo
    url = f"/c/{community.code}/evidence/{evidence.pk}/display/"
    outsider = make_user("s3-outsider", Role.WORKER, other_unit_community)
    anonymous, theirs, mine = Client(), Client(), Client()
    theirs.force_login(outsider)
    mine.force_login(worker)
    assert anonymous.get(url).status_code == 404  # the app's rule: nothing about a photo leaks to strangers
    assert theirs.get(url).status_code == 404
    response = mine.get(url)
    assert response.status_code == 200 and response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content) == evidence.display.open("rb").read()


def test_redirect_mode_hands_out_a_short_lived_signed_url(photo, settings, other_unit_community, make_user,
                                                          community):
    evidence, data, worker = photo
    settings.EVIDENCE_SERVE = "redirect"
    url = f"/c/{community.code}/evidence/{evidence.pk}/original/"
    mine, theirs = Client(), Client()
    mine.force_login(worker)
    theirs.force_login(make_user("s3-other", Role.WORKER, other_unit_community))
    assert theirs.get(url).status_code == 404  # the permission check comes before any URL is signed
    response = mine.get(url)
    assert response.status_code == 302 and response["Cache-Control"] == "private, max-age=240"
    location = response["Location"]
    assert parse_qs(urlsplit(location).query)["X-Amz-Expires"] == ["300"]
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200 and fetched.content == data
    assert fetched.headers["Content-Type"] == "image/jpeg"
    assert fetched.headers["Content-Disposition"].startswith("attachment; ")  # the store names it as we would
