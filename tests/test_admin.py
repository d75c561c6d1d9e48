"""The admin screens of the foundation: standard versions, rounds, assignments, register import."""

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import CommunityPage
from standards.models import StandardVersion
from tests.communities.test_register import ROWS, csv_bytes
from tests.factories import CommunityFactory, UnitFactory, VerifierFactory, WorkerFactory


@pytest.fixture
def admin_client(client, demo, standard):
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/standards/", "/admin/rounds/", "/admin/assignments/", "/admin/register/import/",
            "/admin/pages/"],
)
def test_admin_pages_render_in_chinese(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"


def test_editing_the_standard_in_the_admin_creates_a_new_version(admin_client, standard):
    data = dict(standard.data)
    data["items"][8]["rules"][0]["value"] = 4
    response = admin_client.post(
        f"/admin/standards/edit/{standard.pk}/",
        {"text": yaml.safe_dump(data, allow_unicode=True), "note": "对接政务服务至少4个"},
    )
    assert response.status_code == 302
    versions = list(StandardVersion.objects.order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].item(9)["rules"][0]["value"] == 3 and versions[1].item(9)["rules"][0]["value"] == 4
    assert versions[1].created_by.username == "admin"


def test_an_invalid_standard_edit_is_shown_and_saves_nothing(admin_client, standard):
    response = admin_client.post(f"/admin/standards/edit/{standard.pk}/", {"text": "code: x\n", "note": ""})
    assert response.status_code == 200
    assert "缺少 items" in response.content.decode()
    assert StandardVersion.objects.count() == 1


def test_register_import_in_the_admin(admin_client):
    upload = SimpleUploadedFile("register.csv", csv_bytes(ROWS, "gbk"))
    response = admin_client.post("/admin/register/import/", {"file": upload})
    assert "新增" in response.content.decode()
    assert CommunityPage.objects.filter(code__startswith="3701").count() == 3


@pytest.mark.django_db
def test_workers_cannot_open_the_admin(client):
    client.force_login(WorkerFactory(regions=[CommunityFactory()]))
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/register/import/").status_code in (302, 403)


@pytest.mark.django_db
def test_verifier_cannot_import_the_register(client):
    client.force_login(VerifierFactory(regions=[UnitFactory()]))
    assert client.get("/admin/").status_code == 200
    response = client.get("/admin/register/import/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    upload = SimpleUploadedFile("register.csv", csv_bytes(ROWS))
    client.post("/admin/register/import/", {"file": upload})
    assert not CommunityPage.objects.filter(code__startswith="3701").exists()


@pytest.mark.django_db
def test_a_community_page_address_is_its_mobile_checklist():
    community = CommunityFactory()
    assert community.full_url.endswith(f"/c/{community.code}/")
