"""Receivers: lockouts go on the audit trail; a login notes whether the session is a staff one (idle timeout)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import lockout, sessions


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    lockout.record_lockout(request, username, ip_address)


@receiver(user_logged_in)
def on_logged_in(sender, request, user, **kwargs):
    sessions.start(request, user)
