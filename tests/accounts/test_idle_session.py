"""Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request; phone workers keep the round-long one."""

import time

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages

from accounts.sessions import SEEN_KEY, STAFF_KEY
from tests.accounts.conftest import PASSWORD


def idle_for(client, minutes: float) -> None:
    session = client.session
    session[SEEN_KEY] = int(time.time() - minutes * 60)
    session.save()


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("who", ["verifier", "administrator", "root"])
def test_staff_are_logged_out_after_30_idle_minutes(client, users, who):
    client.force_login(users[who])
    assert client.session[STAFF_KEY] is True
    idle_for(client, 31)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"] == "/admin/login/?next=/admin/pages/"
    assert not logged_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "30 分钟未操作" in page and "自动退出" in page


def test_activity_keeps_a_staff_session_alive(client, users):
    client.force_login(users["verifier"])
    idle_for(client, 29)
    assert client.get("/admin/").status_code == 200
    idle_for(client, 0)  # the request above noted the activity (at most a minute's rounding)
    assert time.time() - client.session[SEEN_KEY] < 61
    assert client.get("/admin/").status_code == 200 and logged_in(client)


def test_phone_workers_keep_the_round_long_session(client, users):
    client.force_login(users["worker"])
    assert client.session[STAFF_KEY] is False
    idle_for(client, 60 * 24 * 30)  # a month without a request
    client.get("/")
    assert logged_in(client)
    assert django_settings.SESSION_COOKIE_AGE == 120 * 24 * 3600


def test_phone_pages_tell_an_idle_staff_member_in_json(client, users):
    client.force_login(users["verifier"])
    idle_for(client, 45)
    response = client.post("/c/379902001001/items/1/save/", "{}", content_type="application/json",
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response.json()["login"] == "/login/" and "30 分钟未操作" in response.json()["message"]
    assert not logged_in(client)


def test_a_non_admin_page_sends_an_idle_staff_member_to_the_phone_login(client, users):
    client.force_login(users["verifier"])
    idle_for(client, 45)
    response = client.get("/")
    assert response["Location"] == "/login/?next=/"
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("自动退出" in m for m in messages)
    assert "自动退出" in client.get("/login/?next=/").content.decode()


def test_the_idle_limit_comes_from_settings(client, users, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    client.force_login(users["verifier"])
    idle_for(client, 6)
    assert client.get("/admin/").status_code == 302 and not logged_in(client)


def test_a_real_login_marks_the_session(client, users):
    client.post("/admin/login/", {"username": "verifier", "password": PASSWORD})
    assert client.session[STAFF_KEY] is True and time.time() - client.session[SEEN_KEY] < 5
