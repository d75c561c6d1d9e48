"""Login throttling (issue 11, "Identity"): 40 wrong passwords used to be followed by a working right one, at the
phone login and at the admin login. Now an account is locked from the address that failed (and an address under
any names), with a Chinese message, a JSON answer for the phone page's JavaScript, and audit entries; an account
failing from many addresses is slowed, never shut for its owner (issue 19: not a denial-of-service switch)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.lockout import account_wait, client_ip, slowdown_seconds
from tests.accounts.conftest import PASSWORD

LOCKED = "登录失败次数过多，已暂时锁定"
JSON = {"HTTP_ACCEPT": "application/json"}


def attempt(client, username, password, url="/login/", address="10.1.1.1", **extra):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_forty_wrong_passwords_then_the_right_one_does_not_log_in(client, users, url):
    for _ in range(40):
        attempt(client, "verifier", "wrong-password", url)
    response = attempt(client, "verifier", PASSWORD, url)
    assert response.status_code == 429
    assert LOCKED in response.content.decode() and "30 分钟后再试" in response.content.decode()
    assert not logged_in(client)
    assert int(response["Retry-After"]) == 30 * 60


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_the_fifth_failure_locks_and_fewer_do_not(client, users, url):
    for _ in range(4):
        assert attempt(client, "verifier", "wrong-password", url).status_code == 200
    assert attempt(client, "verifier", PASSWORD, url).status_code == 302
    assert logged_in(client)


def test_the_locking_failure_already_says_locked(client, users):
    responses = [attempt(client, "worker", "wrong-password") for _ in range(5)]
    assert "用户名或密码不正确" in responses[3].content.decode()
    assert responses[4].status_code == 429 and LOCKED in responses[4].content.decode()


def test_five_bad_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(client, users):
    """The red team's reproduction: anyone could lock the bureau out everywhere for 30 minutes."""
    for _ in range(5):
        attempt(client, "verifier", "wrong-password", address="10.6.6.6")
    assert attempt(client, "verifier", PASSWORD, address="10.6.6.6").status_code == 429  # that address: locked
    owner = attempt(client, "verifier", PASSWORD, address="10.9.9.9")
    assert owner.status_code == 302 and logged_in(client)


def test_an_account_failing_from_many_addresses_is_slowed_not_shut(client, users):
    for n in range(5):
        attempt(client, "worker", "wrong-password", address=f"10.2.0.{n}")
    assert attempt(client, "worker", PASSWORD, address="10.9.9.9").status_code == 302  # five: no wait yet
    client.logout()
    attempt(client, "worker", "wrong-password", address="10.2.0.5")  # the sixth: each next try waits 2 s
    slowed = attempt(client, "worker", PASSWORD, address="10.9.9.9")
    assert slowed.status_code == 429 and slowed["Retry-After"] == "2" and not logged_in(client)
    assert "请 2 秒后再试" in slowed.content.decode() and "已放慢登录" in slowed.content.decode()
    json = attempt(client, "worker", PASSWORD, address="10.9.9.8", **JSON)
    assert json.status_code == 429 and json.json()["retry_after"] == 2 and json["Retry-After"] == "2"
    # The refused tries were not counted (the wait stays 2 s); once it has passed, the owner gets in.
    assert sum(AccessAttempt.objects.filter(username="worker").values_list("failures_since_start", flat=True)) == 6
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=2))
    assert attempt(client, "worker", PASSWORD, address="10.9.9.9").status_code == 302
    # The addresses the failures came from stay usable for everyone else.
    client.logout()
    assert attempt(client, "verifier", PASSWORD, address="10.2.0.1").status_code == 302


def test_the_wait_doubles_with_each_failure_up_to_its_ceiling(client, users, settings):
    for n in range(5):
        attempt(client, "worker", "wrong-password", address=f"10.2.1.{n}")
    waits = []
    for n in range(5, 8):
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=5))  # the last wait passed
        attempt(client, "worker", "wrong-password", address=f"10.2.1.{n}")
        waits.append(attempt(client, "worker", PASSWORD, address="10.9.9.9")["Retry-After"])
    assert waits == ["2", "4", "8"]
    assert [slowdown_seconds(n) for n in (5, 6, 7, 8, 12, 20)] == [0, 2, 4, 8, 128, 300]
    settings.LOGIN_SLOWDOWN_MAX_SECONDS = 60
    assert slowdown_seconds(20) == 60 and account_wait("worker") <= 8


def test_a_slowdown_is_audited_once(client, users):
    for n in range(6):
        attempt(client, "worker", "wrong-password", address=f"10.2.2.{n}")
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=1))
    attempt(client, "worker", "wrong-password", address="10.2.2.9")
    entry = ModelLogEntry.objects.get(action="accounts.slowed")
    assert entry.object_id == str(users["worker"].pk) and entry.data["wait_seconds"] == 2
    assert not ModelLogEntry.objects.filter(action="accounts.locked_out").exists()


def test_an_address_is_locked_separately_with_its_own_limit(client, users, settings):
    assert settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS == 20
    for n in range(19):  # spread over many names, none reaching the account limit
        attempt(client, f"guess{n % 5}", "wrong-password", address="10.3.3.3")
    assert attempt(client, "worker", PASSWORD, address="10.3.3.3").status_code == 302
    client.logout()
    attempt(client, "guess-last", "wrong-password", address="10.3.3.3")
    assert attempt(client, "verifier", PASSWORD, address="10.3.3.3").status_code == 429
    assert attempt(client, "verifier", PASSWORD, address="10.4.4.4").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, users):
    for _ in range(5):
        attempt(client, "worker", "wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert attempt(client, "worker", PASSWORD).status_code == 302


def test_json_callers_of_the_phone_login_get_json(client, users):
    wrong = attempt(client, "worker", "wrong-password", **JSON)
    assert wrong.status_code == 400 and wrong.json() == {
        "ok": False, "message": "用户名或密码不正确，请重新输入。", "code": "invalid_login"}
    for _ in range(4):
        attempt(client, "worker", "wrong-password", **JSON)
    locked = attempt(client, "worker", PASSWORD, **JSON)
    assert locked.status_code == 429 and locked["Retry-After"] == "1800"
    assert locked.json()["code"] == "locked_out" and LOCKED in locked.json()["message"]
    assert locked.json()["retry_after"] == 1800
    ok = attempt(client, "verifier", PASSWORD, address="10.7.7.7", **JSON)
    assert ok.status_code == 200 and ok.json() == {"ok": True, "next": "/"}


def test_a_lockout_is_audited_once_however_often_it_is_retried(client, users):
    for _ in range(12):
        attempt(client, "worker", "wrong-password")
    entries = ModelLogEntry.objects.filter(action="accounts.locked_out")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.object_id == str(users["worker"].pk) and entry.data["ip_address"] == "10.1.1.1"
    assert entry.data["locked"] == ["account_address"]  # the account at that address, not the address itself
    assert "worker @ 10.1.1.1" == entry.label


def test_a_lockout_of_an_unknown_name_is_audited_on_its_attempt_record(client, users):
    for _ in range(5):
        attempt(client, "nobody", "wrong-password")
    entry = ModelLogEntry.objects.get(action="accounts.locked_out")
    assert entry.content_type.model == "accessattempt" and entry.data["username"] == "nobody"


def test_every_failure_stays_on_record(client, users):
    from axes.models import AccessFailureLog

    for _ in range(7):
        attempt(client, "worker", "wrong-password")
    failures = AccessFailureLog.objects.filter(username="worker", ip_address="10.1.1.1")
    assert failures.count() == 7 and failures.filter(locked_out=True).count() == 3  # the 5th locked


def test_the_test_client_login_still_works(client, users):
    assert client.login(username="worker", password=PASSWORD)
    assert not client.login(username="worker", password="wrong-password")


def test_production_keeps_the_strict_axes_backend():
    from smartsite.settings import base

    assert base.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert base.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]


def test_behind_a_proxy_the_forwarded_address_counts(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.post("/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"  # the entry nginx appended, not the one the client wrote
    assert client_ip(rf.post("/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="junk")) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
