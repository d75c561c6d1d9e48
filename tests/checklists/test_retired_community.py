"""A community retired by a 区划调整 (import_divisions --retire-missing): its phone pages and QR links say so
plainly and refuse new saves and photos; what it already has stays."""

import pytest
from django.utils import timezone

from checklists.models import ItemResult
from checklists.services import answer_save
from communities.models import CommunityPage
from tests.checklists.photo_factory import make_jpeg
from tests.checklists.test_mobile_views import LIGHTS, _form, _upload, post_json, save_payload, url

RETIRED = "因区划调整撤销"


@pytest.fixture
def retired(round_, community, worker):
    answer_save(round_=round_, community=community, item_number=8, user=worker, values=LIGHTS)
    CommunityPage.objects.filter(pk=community.pk).update(retired_at=timezone.now())
    return CommunityPage.objects.get(pk=community.pk)


@pytest.mark.parametrize("path", [(), ("items", 8), ("items", 25)])
def test_pages_and_qr_links_say_the_community_was_retired(client, worker, retired, path):
    client.force_login(worker)
    response = client.get(url(retired, *path))
    page = response.content.decode()
    assert response.status_code == 410 and RETIRED in page and retired.title in page
    assert timezone.localdate().isoformat() in page


def test_saves_and_photos_are_refused_and_nothing_changes(client, worker, retired):
    client.force_login(worker)
    before = list(ItemResult.objects.values_list("pk", "revision", "values"))
    response = post_json(client, url(retired, "items", 8, "save"), save_payload(revision=1, smart_lights="61"))
    assert response.status_code == 410 and response.json()["retired"] is True
    assert RETIRED in response.json()["message"]
    assert client.post(url(retired, "items", 8), _form(revision=1, **LIGHTS)).status_code == 410
    photo = {"photo": _upload(make_jpeg(64, 48)), "client_id": "7d6c0d1e-5b1a-4b55-9b35-6f0e3a1c2b11"}
    assert client.post(url(retired, "items", 8, "photos"), photo,
                       headers={"accept": "application/json"}).status_code == 410
    assert list(ItemResult.objects.values_list("pk", "revision", "values")) == before


def test_strangers_still_get_not_yours(client, make_user, other_unit_community, retired):
    client.force_login(make_user("stranger", "worker", other_unit_community))
    response = client.get(url(retired))
    assert response.status_code == 403 and RETIRED not in response.content.decode()


def test_every_write_path_refuses_it_not_only_the_phone(round_, retired, worker, make_user, tmp_path):
    """The services (which the admin, the phone and imports all call) refuse a retired community by name."""
    from checklists.decisions import item_approve
    from checklists.results_import import import_results
    from checklists.services import CommunityRetired, item_submit
    from communities.models import Role
    from tests.checklists.test_results_import import line, write_jsonl

    with pytest.raises(CommunityRetired, match=RETIRED):
        answer_save(round_=round_, community=retired, item_number=8, user=worker, values=LIGHTS)
    result = ItemResult.objects.get(community=retired, item_number=8)
    with pytest.raises(CommunityRetired):
        item_submit(result=result, user=worker)
    verifier = make_user("retired-verifier", Role.VERIFIER, retired.get_parent().get_parent())
    with pytest.raises(CommunityRetired):
        item_approve(result=result, user=verifier)
    report = import_results(write_jsonl(tmp_path, [line(community=retired.code, status="draft")]), user=verifier)
    assert [e.row for e in report.errors] == [1] and RETIRED in report.errors[0].message
    assert ItemResult.objects.get(pk=result.pk).revision == result.revision
