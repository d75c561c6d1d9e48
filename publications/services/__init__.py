"""Writes of what the public sees. Each asks communities.policy, is one transaction, and leaves a log entry:
Wagtail's own page entries for pages (created, published …) and `audit.actors.log` entries for the rest."""

from django.core.exceptions import ValidationError


class PublicationError(ValidationError):
    """Input or a state that cannot be accepted; the message(s) say why in Chinese, by field where known."""
