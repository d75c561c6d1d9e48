"""TOTP second factor for administrators (django-otp): enrolment with an otpauth QR code, and verification."""

from __future__ import annotations

import io
import math
from urllib.parse import parse_qs, urlsplit

import django_otp
import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit

DEVICE_NAME = "管理后台身份验证器"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user) -> TOTPDevice:
    """The device being enrolled: the same secret on every visit until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret(device: TOTPDevice) -> str:
    """The base32 secret in the otpauth link, for typing into an app by hand."""
    return parse_qs(urlsplit(device.config_url).query)["secret"][0]


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth link as an inline SVG QR code (no inline style, so it passes the page's CSP)."""
    out = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2).save(out)
    text = out.getvalue().decode()
    return text[text.index("<svg"):]


def clean_token(token: str) -> str:
    return "".join(token.split())


def confirm(request, device: TOTPDevice, token: str) -> bool:
    """Finish enrolment with a first code from the app; the session is then verified."""
    with transaction.atomic():
        if not django_otp.verify_token(request.user, device.persistent_id, clean_token(token)):
            return False
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        # Any other half-enrolled secret was shown on screen once and must not become valid later.
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    django_otp.login(request, device)
    audit.record(request.user, "two_factor_enrolled", user=request.user, data={"device": device.name})
    return True


def verify(request, token: str) -> bool:
    """Check a code against the user's device after login; the session is then verified."""
    device = confirmed_device(request.user)
    if device is None:
        return False
    verified = django_otp.verify_token(request.user, device.persistent_id, clean_token(token))
    if verified is None:
        return False
    django_otp.login(request, verified)
    return True


def throttled_seconds(user) -> int:
    """Seconds before the device accepts another code after repeated wrong ones (django-otp's throttling)."""
    device = confirmed_device(user) or TOTPDevice.objects.filter(user=user).first()
    if device is None:
        return 0
    allowed, info = device.verify_is_allowed()
    if allowed or not info or "locked_until" not in info:
        return 0
    return max(0, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))


def reset(user, *, by) -> int:
    """Remove the user's devices (lost phone); they enrol again at their next admin login."""
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    if count:
        audit.record(user, "two_factor_reset", user=by, data={"devices": count})
    return count
