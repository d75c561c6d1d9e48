"""Assessment rounds: open one pinned to the newest standard version, find the one being filled now."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import Round, RoundStatus
from .versions import DEFAULT_CODE, StandardError, latest


@transaction.atomic
def round_open(code: str, *, name: str = "", standard_code: str = DEFAULT_CODE) -> tuple[Round, bool]:
    """Create an assessment round pinned to the newest standard version, or reopen a closed one."""
    standard = latest(standard_code)
    if standard is None:
        raise StandardError(f"尚未载入标准 {standard_code}，请先运行 load_standard")
    existing = Round.objects.select_for_update().filter(code=code).first()
    if existing:
        existing.status, existing.closed_at = RoundStatus.OPEN, None
        if name:
            existing.name = name
        existing.save()
        return existing, False
    return Round.objects.create(code=code, name=name or code, standard=standard, opened_at=timezone.now()), True


def open_round() -> Round | None:
    """Return the round communities are filling now (the newest open one)."""
    return Round.objects.filter(status=RoundStatus.OPEN).select_related("standard").order_by("-opened_at").first()
