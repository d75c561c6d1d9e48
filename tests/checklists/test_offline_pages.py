"""Offline-first phone pages, server side: /sw.js at the site root, the list of pages a worker's phone keeps
(with versions that are the pages' own ETags), revalidation with 304s, and the worker's home page."""

import pytest
from django.contrib.auth import get_user_model

from checklists.decisions import item_return
from checklists.evidence import evidence_add
from checklists.services import answer_save, item_submit
from tests.checklists.photo_factory import make_jpeg

LIGHTS = {"smart_lights": "60", "public_lights": "100", "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"}
MINE = ("379902001001", "379902001002")


@pytest.fixture
def worker_client(client, worker):
    client.force_login(worker)
    return client


def etag(response) -> str:
    return response["ETag"].removeprefix("W/")


def test_the_service_worker_is_served_from_the_root(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/" and response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert body.startswith("self.ZHSQ = {") and '"/static/mobile/app.js"' in body and '"manifest":"/c/offline/"' in body
    again = client.get("/sw.js", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_the_manifest_lists_every_page_of_the_workers_communities(worker_client, round_, community):
    data = worker_client.get("/c/offline/").json()
    assert set(data["communities"]) == set(MINE) and list(data["home"]) == ["/"]
    assert all(sorted(map(int, c["items"])) == list(range(1, 26)) for c in data["communities"].values())
    assert data["counts"][community.code] == {"total": 25, "done": 0, "ready": 0, "unfinished": 25, "submitted": 0,
                                              "returned": 0, "passed": 0, "failed": 0}
    assert data["user"] and data["session"] and data["build"]


def test_the_versions_are_the_pages_etags(worker_client, round_, community, worker):
    answer_save(round_=round_, community=community, item_number=8, user=worker, values=LIGHTS)
    data = worker_client.get("/c/offline/").json()["communities"][community.code]
    pages = {f"/c/{community.code}/": data["list"], f"/c/{community.code}/items/8/": data["items"]["8"],
             f"/c/{community.code}/items/9/": data["items"]["9"]}
    for page, version in pages.items():
        response = worker_client.get(page)
        assert response.status_code == 200 and etag(response) == f'"{version}"', page
        assert response["Cache-Control"] == "no-store"
        assert worker_client.get(page, headers={"if-none-match": f'"{version}"'}).status_code == 304


def test_a_change_renews_only_the_pages_that_show_it(worker_client, round_, community, worker):
    before = worker_client.get("/c/offline/").json()["communities"][community.code]
    result = answer_save(round_=round_, community=community, item_number=8, user=worker, values=LIGHTS).result
    after = worker_client.get("/c/offline/").json()["communities"][community.code]
    assert after["list"] != before["list"] and after["items"]["8"] != before["items"]["8"]
    assert after["items"]["9"] == before["items"]["9"]
    evidence_add(result=result, user=worker, data=make_jpeg(64, 48), filename="a.jpg")
    assert worker_client.get("/c/offline/").json()["communities"][community.code]["items"]["8"] != after["items"]["8"]


def test_a_new_login_renews_every_page(client, round_, community, worker):
    client.force_login(worker)
    first = client.get("/c/offline/").json()
    client.logout()
    client.force_login(worker)
    second = client.get("/c/offline/").json()
    assert first["user"] == second["user"] and first["session"] != second["session"]
    assert first["communities"][community.code]["list"] != second["communities"][community.code]["list"]


def test_pages_showing_messages_are_never_kept(worker_client, round_, community):
    worker_client.post(f"/c/{community.code}/submit-all/")  # leaves "没有可以提交的项" for the next page
    response = worker_client.get(f"/c/{community.code}/")
    assert "没有可以提交的项" in response.content.decode() and not response.has_header("ETag")


def test_pages_are_compressed(worker_client, round_, community):
    response = worker_client.get(f"/c/{community.code}/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip" and len(response.content) < 20_000


def test_who_gets_no_offline_pages(client, round_, verifier):
    assert client.get("/c/offline/").status_code == 401
    client.force_login(verifier)
    assert client.get("/c/offline/").json()["communities"] == {}


def test_the_workers_home_lists_their_communities_returned_first(worker_client, round_, community, worker, verifier,
                                                                   demo):
    from communities.models import CommunityPage

    neighbour = CommunityPage.objects.get(code=MINE[1])
    result = answer_save(round_=round_, community=neighbour, item_number=2, user=worker,
                         values={"wireless_on_demand": True}).result
    evidence_add(result=result, user=worker, data=make_jpeg(64, 48), filename="a.jpg")
    item_return(result=item_submit(result=result, user=worker), user=verifier, reason="照片看不清")
    response = worker_client.get("/")
    body = response.content.decode()
    assert response.status_code == 200 and response.has_header("ETag")
    assert body.index(neighbour.title) < body.index(community.title)  # the one with a returned item first
    assert f'href="/c/{neighbour.code}/items/2/"' in body and "退回理由：照片看不清" in body
    assert f'href="/c/{community.code}/"' in body
    assert '已完成 <b data-count="done">0</b>/<b data-count="total">25</b>' in body


def test_the_home_page_for_others(client, round_, demo):
    body = client.get("/").content.decode()
    assert "请扫描社区或指标的二维码" in body and 'href="/login/"' in body
    client.force_login(get_user_model().objects.get(username="bureau"))
    body = client.get("/").content.decode()
    assert "您的账号还没有负责的社区" in body and 'href="/admin/"' in body
