"""登录锁定 in the Wagtail admin: administrators see current lockouts and slowed accounts and lift them; nobody else
can."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from wagtail.models import ModelLogEntry

from tests.accounts.conftest import PASSWORD
from tests.accounts.test_lockout import attempt, logged_in


def unlock_form(page: str, key: str) -> dict:
    """The fields of the 解锁 form in the row of `key`, as the administrator's browser would post them."""
    for form in re.findall(r'<form method="post" action="/admin/lockouts/unlock/">(.*?)</form>', page, re.S):
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
        if fields.get("key") == key:
            return fields
    raise AssertionError(f"no 解锁 form for {key}")


@pytest.fixture
def locked(client, users):
    """worker locked at 10.1.1.1 (its account from that address); 10.5.5.5 locked as an address (20 failures
    under other names)."""
    for _ in range(5):
        attempt(client, "worker", "wrong-password", address="10.1.1.1")
    for n in range(20):
        attempt(client, f"guess{n}", "wrong-password", address="10.5.5.5")
    return users


@pytest.mark.parametrize("who", ["administrator", "root"])
def test_administrators_see_the_lockouts_and_the_menu_item(client, locked, who):
    client.force_login(locked[who])
    page = client.get("/admin/lockouts/").content.decode()
    assert "worker" in page and "10.5.5.5" in page and page.count("解锁</button>") == 2
    assert "/admin/lockouts/" in client.get("/admin/").content.decode()  # the sidebar menu (JSON props)


def test_unlocking_an_account_lets_it_log_in_and_is_audited(client, locked):
    admin = locked["administrator"]
    client.force_login(admin)
    page = client.get("/admin/lockouts/").content.decode()
    assert "账户（从该地址）" in page and "10.1.1.1" in page
    fields = unlock_form(page, "worker")
    assert fields["kind"] == "account_address" and fields["address"] == "10.1.1.1"
    response = client.post("/admin/lockouts/unlock/", fields, follow=True)
    assert "已解锁账户 worker（从 10.1.1.1）" in response.content.decode()
    assert "worker" not in client.get("/admin/lockouts/").content.decode().split("<tbody>")[-1]
    entry = ModelLogEntry.objects.get(action="accounts.unlocked")
    assert entry.user == admin and entry.object_id == str(locked["worker"].pk) and entry.data["failures"] == 5
    client.logout()
    assert attempt(client, "worker", PASSWORD, address="10.1.1.1").status_code == 302 and logged_in(client)


def test_a_slowed_account_is_listed_and_can_be_let_go(client, users):
    for n in range(7):  # from seven addresses, each wait let pass: the account is slowed, no address locked
        attempt(client, "verifier", "wrong-password", address=f"10.8.0.{n}")
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=1))
    client.force_login(users["root"])
    page = client.get("/admin/lockouts/").content.decode()
    assert "账户（放慢登录）" in page and "最长 300 秒" in page
    client.post("/admin/lockouts/unlock/", unlock_form(page, "verifier"))
    assert ModelLogEntry.objects.get(action="accounts.unlocked").data["kind"] == "username"
    assert not AccessAttempt.objects.filter(username="verifier").exists()


def test_unlocking_an_address(client, locked):
    client.force_login(locked["root"])
    client.post("/admin/lockouts/unlock/", {"kind": "ip_address", "key": "10.5.5.5"})
    assert ModelLogEntry.objects.filter(action="accounts.unlocked", data__key="10.5.5.5").exists()
    client.logout()
    assert attempt(client, "verifier", PASSWORD, address="10.5.5.5").status_code == 302


@pytest.mark.parametrize("who", ["verifier", "worker"])
def test_others_may_neither_see_nor_unlock(client, locked, who):
    client.force_login(locked[who])
    assert client.get("/admin/lockouts/").status_code in (302, 403)
    assert client.post("/admin/lockouts/unlock/", {"kind": "username", "key": "worker"}).status_code in (302, 403)
    assert not ModelLogEntry.objects.filter(action="accounts.unlocked").exists()
    if who == "verifier":
        assert "/admin/lockouts/" not in client.get("/admin/").content.decode()
    client.logout()
    assert attempt(client, "worker", PASSWORD, address="10.1.1.1").status_code == 429


def test_the_audit_labels_are_registered():
    from wagtail.log_actions import registry

    assert registry.get_action_label("accounts.locked_out") == "登录锁定"
    assert registry.get_action_label("accounts.unlocked") == "解除登录锁定"
