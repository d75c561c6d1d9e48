"""TOTP second factor for administrators (ADMIN_REQUIRE_2FA): enrol with the otpauth QR code, then a code after
each login before any page. Codes are computed here from the secret the page shows (RFC 6238)."""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry


def totp(secret_b32: str, offset: int = 0) -> str:
    """The 6-digit code of the 30-second step `offset` steps from now."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30 + offset), hashlib.sha1).digest()
    start = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[start:start + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


@pytest.fixture
def required(settings):
    settings.ADMIN_REQUIRE_2FA = True


def enrol(client, user) -> str:
    """Log in, get sent to enrolment, read the secret off the page and confirm it; return the secret."""
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/account/2fa/setup/?next=")
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "启用二次验证" in page
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    done = client.post("/account/2fa/setup/", {"token": totp(secret), "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    return secret


@pytest.mark.parametrize("who", ["administrator", "root"])
def test_enrol_then_verify_after_each_login(client, users, required, who):
    user = users[who]
    secret = enrol(client, user)
    assert client.get("/admin/").status_code == 200
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and TOTPDevice.objects.filter(user=user).count() == 1
    assert f"secret={secret}" in device.config_url and "issuer=" in device.config_url
    assert ModelLogEntry.objects.filter(action="accounts.two_factor_enrolled", object_id=str(user.pk)).exists()

    other = Client()  # a new login (another browser) must pass a code again
    other.force_login(user)
    response = other.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"] == "/account/2fa/verify/?next=%2Fadmin%2Fpages%2F"
    assert other.get("/c/379902001001/").status_code == 302  # the phone pages too: an admin sees every community
    page = other.post("/account/2fa/verify/", {"token": "000000" if totp(secret) != "000000" else "111111"})
    assert "动态码不正确" in page.content.decode()
    device.throttle_reset()  # django-otp makes a wrong code wait 1 s, 2 s, 4 s …; see the next test
    # The code just used at enrolment cannot be replayed; the next step's code is within the tolerance.
    verified = other.post("/account/2fa/verify/", {"token": totp(secret, 1), "next": "/admin/pages/"})
    assert verified.status_code == 302 and verified["Location"] == "/admin/pages/"
    assert other.get("/admin/").status_code == 200


def test_wrong_codes_are_throttled(client, users, required):
    secret = enrol(client, users["administrator"])
    other = Client()
    other.force_login(users["administrator"])
    other.post("/account/2fa/verify/", {"token": "abcdef"})
    page = other.post("/account/2fa/verify/", {"token": totp(secret, 1)}).content.decode()
    assert "错误次数过多" in page
    assert other.get("/admin/").status_code == 302


def test_json_callers_are_told_to_verify(client, users, required):
    client.force_login(users["root"])
    response = client.get("/api/coverage/?round=2026", HTTP_ACCEPT="application/json")
    assert response.status_code == 401 and response.json()["code"] == "second_factor"


@pytest.mark.parametrize("who", ["verifier", "worker"])
def test_verifiers_and_workers_are_not_asked(client, users, required, who):
    client.force_login(users[who])
    assert client.get("/admin/").status_code == (200 if who == "verifier" else 302)
    assert not client.get("/admin/").get("Location", "").startswith("/account/2fa/")
    assert client.get("/account/2fa/setup/").status_code == 302
    assert not TOTPDevice.objects.exists()


def test_off_by_default_in_tests_and_development(client, users, settings):
    from smartsite.settings import base

    assert base.ADMIN_REQUIRE_2FA is False and settings.ADMIN_REQUIRE_2FA is False
    client.force_login(users["root"])
    assert client.get("/admin/").status_code == 200


def test_reset_two_factor_command(client, users, required):
    enrol(client, users["administrator"])
    call_command("reset_two_factor", "administrator")
    assert not TOTPDevice.objects.exists()
    assert ModelLogEntry.objects.filter(action="accounts.two_factor_reset").exists()
    fresh = Client()
    fresh.force_login(users["administrator"])
    assert fresh.get("/admin/")["Location"].startswith("/account/2fa/setup/")


def test_next_cannot_leave_the_site(client, users, required):
    client.force_login(users["root"])
    page = client.get("/account/2fa/setup/?next=https://evil.example/").content.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    done = client.post("/account/2fa/setup/", {"token": totp(secret), "next": "https://evil.example/"})
    assert done["Location"] == "/admin/"


@pytest.mark.parametrize("step", ["setup", "verify"])
def test_logging_out_from_the_second_factor_page_ends_the_session(client, users, required, step):
    """The 退出登录 button of the enrolment and verification pages: a login page, not a 500, and no session."""
    if step == "verify":
        enrol(client, users["administrator"])
        client.logout()
    client.force_login(users["administrator"])
    page = client.get(f"/account/2fa/{step}/?next=/admin/")
    assert page.status_code == 200
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', page.content.decode(), re.S)
    assert form and form.group(1) == "/logout/"
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(2)))
    response = client.post(form.group(1), hidden, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0].startswith("/login/")
    assert "智慧社区达标核查 · 登录" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_logging_out_without_a_next_page_lands_on_the_login_page(client, users):
    client.force_login(users["verifier"])
    response = client.post("/logout/", follow=True)
    assert response.status_code == 200 and response.redirect_chain == [("/login/", 302)]
    assert "_auth_user_id" not in client.session
