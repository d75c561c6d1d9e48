"""登录锁定 in the Wagtail admin: administrators see current lockouts and unlock them; nobody else can."""

import pytest
from wagtail.models import ModelLogEntry

from tests.accounts.conftest import PASSWORD
from tests.accounts.test_lockout import attempt, logged_in


@pytest.fixture
def locked(client, users):
    """worker locked by account; 10.5.5.5 locked by address (20 failures under other names)."""
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
    response = client.post("/admin/lockouts/unlock/", {"kind": "username", "key": "worker"}, follow=True)
    assert "已解锁账户 worker" in response.content.decode()
    assert "worker" not in client.get("/admin/lockouts/").content.decode().split("<tbody>")[-1]
    entry = ModelLogEntry.objects.get(action="accounts.unlocked")
    assert entry.user == admin and entry.object_id == str(locked["worker"].pk) and entry.data["failures"] == 5
    client.logout()
    assert attempt(client, "worker", PASSWORD, address="10.1.1.1").status_code == 302 and logged_in(client)


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
