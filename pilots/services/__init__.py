"""Writes of the pilot programme. Each is one transaction, asks communities.policy, and leaves a log entry on the
pilot or application (the audit chain seals it) besides the rows it writes."""

from django.core.exceptions import ValidationError


class PilotError(ValidationError):
    """Input or a state that cannot be accepted; the message(s) say why in Chinese, by field where known."""
