"""First passwords by one-time activation links, on Django's password-reset token machinery.

A link is `/activate/<uid>/<token>/`; the token is an HMAC (SECRET_KEY) over the account's password hash, last
login, active flag and the person's activation generation, with its issue time. So a link dies when the owner sets
a password (the hash changes), when a newer sheet is printed (the generation moves on), when the account is
deactivated, and after ACTIVATION_DAYS. Nothing but the token is stored, and no password is ever printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _

from audit.actors import log

from .models import Person

ACTIVATED = "people.activated"

# Why a link does not work, as the phone page says it (and what to do).
VALID, EXPIRED, USED, VOIDED, INACTIVE, INVALID = "valid", "expired", "used", "voided", "inactive", "invalid"


def activation_days() -> int:
    return int(settings.ACTIVATION_DAYS)


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset tokens, salted apart, voided by a newer sheet and valid for ACTIVATION_DAYS."""

    key_salt = "people.activation.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        generation = user.__dict__.get("_activation_generation")  # set only while diagnosing an older link
        if generation is None:
            generation = Person.objects.filter(user=user).values_list("activation_generation", flat=True).first()
        return f"{super()._make_hash_value(user, timestamp)}|{generation}|{user.is_active}"

    def check_token(self, user, token):
        return self.state(user, token) == VALID

    def state(self, user, token) -> str:
        """Return VALID, or why the token does not work for this user."""
        issued = _timestamp(token)
        if user is None or issued is None:
            return INVALID
        if self._matches(user, issued, token):
            if not user.is_active:
                return INACTIVE
            return VALID if self._num_seconds(self._now()) - issued <= activation_days() * 86400 else EXPIRED
        # Not this account's current link: say why as plainly as the records allow.
        if not user.is_active:
            return INACTIVE
        person = Person.objects.filter(user=user).first()
        if person is None:
            return INVALID
        if person.activated_at and _num(self, person.activated_at) >= issued:
            return USED
        if user.has_usable_password() and user.last_login and _num(self, user.last_login) >= issued:
            return USED
        if self._older_sheet(user, person, issued, token):
            return VOIDED
        return INVALID

    def _matches(self, user, issued: int, token: str) -> bool:
        return any(constant_time_compare(self._make_token_with_timestamp(user, issued, secret), token)
                   for secret in [self.secret, *self.secret_fallbacks])

    def _older_sheet(self, user, person: Person, issued: int, token: str) -> bool:
        """Whether the token is genuine for one of the person's recent earlier sheets (a reprint voided it)."""
        try:
            for generation in range(person.activation_generation - 1, max(-1, person.activation_generation - 50), -1):
                user._activation_generation = generation
                if self._matches(user, issued, token):
                    return True
            return False
        finally:
            user.__dict__.pop("_activation_generation", None)


def _num(generator: PasswordResetTokenGenerator, moment: datetime) -> int:
    """Seconds since 2001 as the token counts them (naive local time, as Django's generator uses)."""
    return generator._num_seconds(timezone.make_naive(moment) if timezone.is_aware(moment) else moment)


def _timestamp(token: str | None) -> int | None:
    try:
        stamp, _hash = (token or "").split("-")
        return base36_to_int(stamp)
    except ValueError:
        return None


tokens = ActivationTokenGenerator()


def link_for(user) -> str:
    """Return a new absolute activation link for the user (the caller has moved the generation on)."""
    path = reverse("people:activate", args=[urlsafe_base64_encode(force_bytes(user.pk)), tokens.make_token(user)])
    return settings.SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class Issued:
    user: object
    link: str
    expires_at: datetime


@transaction.atomic
def links_issue(*, users) -> list[Issued]:
    """Void every earlier link of these people and return a new one for each (callers ask the policy first)."""
    now = timezone.now()
    issued = []
    for user in users:
        person, _created = Person.objects.select_for_update().get_or_create(user=user)
        person.activation_generation += 1
        person.activation_issued_at = now
        person.save(update_fields=["activation_generation", "activation_issued_at", "updated_at"])
        issued.append(Issued(user, link_for(user), now + timedelta(days=activation_days())))
    return issued


@transaction.atomic
def activation_complete(*, user, password: str) -> None:
    """The owner sets their password through a valid link (the view checked it): the link and all older die."""
    user.set_password(password)
    user.save(update_fields=["password"])
    Person.objects.filter(user=user).update(activated_at=timezone.now())
    log(user, ACTIVATED, actor=user, data={"login": user.get_username()})


def state_message(state: str) -> str:
    """Return what the phone page tells someone whose link does not work, with what to do."""
    ask = _("请向所在区县或设区市的大数据局索取新的激活单。")
    return {
        EXPIRED: _("该激活链接已过期（有效期 %(days)s 天）。") % {"days": activation_days()} + ask,
        USED: _("该激活链接已使用过，账号已设置密码。请直接登录；如忘记密码，") + ask,
        VOIDED: _("该激活链接已作废：之后又为您打印了新的激活单，请使用最新一张上的二维码。") + _("如找不到，") + ask,
        INACTIVE: _("该账号已停用（离岗），激活链接不再有效。如已回到岗位，") + ask,
        INVALID: _("激活链接无效或不完整。请重新扫描激活单上的二维码；仍不行时，") + ask,
    }[state]
