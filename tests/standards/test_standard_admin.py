"""The admin's 标准版本 and 核查轮次 screens with both standards loaded: either kind is edited into a new version of
itself, and a round can only be pinned to the community standard."""

import pytest
import yaml
from django.contrib.auth import get_user_model

from standards.models import Round, StandardVersion
from standards.versions import latest
from tests.factories import bundled_standards


@pytest.fixture
def admin_client(client, demo):
    bundled_standards()  # load_bundled, replayed after the first build
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def scoring_version() -> StandardVersion:
    return StandardVersion.objects.get(code="SD-ZHCS-2019")


def test_the_scoring_standard_is_edited_into_its_own_new_version(admin_client):
    current = scoring_version()
    data = dict(current.data)
    data["title"] += "（修订）"
    response = admin_client.post(f"/admin/standards/edit/{current.pk}/",
                                 {"text": yaml.safe_dump(data, allow_unicode=True), "note": "修订标题"})
    assert response.status_code == 302
    assert list(StandardVersion.objects.filter(code="SD-ZHCS-2019").values_list("version", flat=True)) == [2, 1]
    assert latest().version == 2 and latest().code == "SD-ZHSQ-2019"


def test_a_broken_scoring_edit_is_shown_in_chinese_and_saves_nothing(admin_client):
    current = scoring_version()
    data = dict(current.data, bands=[])
    response = admin_client.post(f"/admin/standards/edit/{current.pk}/",
                                 {"text": yaml.safe_dump(data, allow_unicode=True), "note": ""})
    assert response.status_code == 200 and "评分标准有以下问题" in response.content.decode()
    assert StandardVersion.objects.count() == 3


def test_a_new_version_starts_from_the_community_standard(admin_client):
    html = admin_client.get("/admin/standards/new/").content.decode()
    assert "数字山东建设专项小组办公室" in html and "SD-ZHSQ-2019" in html and "SD-ZHCS-2019" not in html


def test_a_round_offers_and_accepts_only_community_versions(admin_client):
    html = admin_client.get("/admin/rounds/new/").content.decode()
    assert f'<option value="{latest().pk}" selected>' in html
    assert f'value="{scoring_version().pk}"' not in html
    response = admin_client.post("/admin/rounds/new/", {"code": "2027", "name": "", "standard": scoring_version().pk})
    assert response.status_code == 200 and not Round.objects.filter(code="2027").exists()
    admin_client.post("/admin/rounds/new/", {"code": "2027", "name": "", "standard": latest().pk})
    assert Round.objects.get(code="2027").standard == latest()
