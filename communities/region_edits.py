"""Edits of the region tree in Wagtail's page editor: keep each community's ancestor links in step and put what
changed (from what to what) on the audit trail, beside Wagtail's own page history."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from wagtail.log_actions import log
from wagtail.models import Page

from .tree import sync_region_links

REGION_EDITED = "communities.region_edited"
LOG_ACTIONS = {REGION_EDITED: gettext_lazy("修改区划信息")}
FIELDS = ("title", "code", "kind", "households")


def snapshot(page: Page) -> dict:
    """Return the register fields of a region page as they are stored now."""
    stored = type(page.specific).objects.filter(pk=page.pk).first() if page.pk else None
    return {name: getattr(stored, name) for name in FIELDS if stored is not None and hasattr(stored, name)}


def region_saved(page: Page, user, before: dict) -> None:
    """Sync ancestor links below `page` and log the register fields that changed."""
    sync_region_links(page)
    after = snapshot(page)
    changes = {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}
    if changes:
        log(page.specific, REGION_EDITED, user=user, data={"changes": changes})
