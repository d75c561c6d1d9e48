"""Wagtail's page permissions on the public pages, answered by communities.policy.

Wagtail asks a page's permission tester what a user may do to it (add a subpage, edit, publish, lock …); its own
tester reads group page permissions, which cannot say "this city's bureau, under this city's highlights". The
pages of this app return `PolicyPagePermissionTester`, which adds what the policy grants on the page's region:
a bureau may write reports under its own region's index and edit them (never publish: it submits them for
moderation); the province may edit, publish, lock and unlock them. A published 智慧社区名单 is frozen: nobody but
a superuser may edit it (it can still be unpublished). Administrators keep what their group grants everywhere.
"""

from __future__ import annotations

from wagtail.models import Page, PagePermissionTester

from communities import policy
from communities.policy import EVERYWHERE

from .actions import PublicationAction

WRITER_ON_INDEX = frozenset({"add"})
WRITER = frozenset({"add", "change"})
APPROVER = frozenset({"change", "publish", "lock", "unlock"})
FROZEN = frozenset({"add", "change"})


def region_of_highlight(page: Page) -> Page | None:
    """Return the region a highlight report belongs to: its index's region (None for an unsaved report)."""
    from .models import HighlightIndexPage

    if not page.path:
        return None
    parent = page.path[: -Page.steplen]
    index = HighlightIndexPage.objects.filter(path=parent).select_related("region").first()
    return index.region if index else None


def _region(page: Page) -> Page | None:
    from .models import HighlightIndexPage, HighlightPage

    if isinstance(page, HighlightIndexPage):
        return page.region
    if isinstance(page, HighlightPage):
        return page.policy_region
    return None


def writes(user, page: Page) -> bool:
    """Whether the user may write highlight reports where this index or report is."""
    region = _region(page)
    return region is not None and policy.may(user, PublicationAction.WRITE_HIGHLIGHT, region)


def approves(user, page: Page) -> bool:
    """Whether the user may approve (publish) or send back the highlight report `page`."""
    if isinstance(page, Page):
        page = page.specific_deferred
    region = _region(page)
    return region is not None and policy.may(user, PublicationAction.APPROVE_HIGHLIGHT, region)


def approves_anywhere(user) -> bool:
    """Whether the user approves highlight reports at all (the province's bureau, administrators)."""
    return policy.may(user, PublicationAction.APPROVE_HIGHLIGHT, EVERYWHERE)


def granted(user, page: Page) -> frozenset[str]:
    """Return the Wagtail page actions ("add", "change", "publish" …) the policy grants the user on `page`."""
    from .models import HighlightIndexPage, HighlightPage

    if isinstance(page, HighlightIndexPage):
        return WRITER_ON_INDEX if writes(user, page) else frozenset()
    if isinstance(page, HighlightPage):
        return (WRITER if writes(user, page) else frozenset()) | (APPROVER if approves(user, page) else frozenset())
    return frozenset()


class PolicyPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, with the policy's grants on this app's pages added (and a 名单 frozen)."""

    def __init__(self, user, page):
        from .models import SmartListPage

        super().__init__(user, page)
        if user.is_active and not user.is_superuser:
            self.permissions = set(self.permissions) | granted(user, page)
            if isinstance(page, SmartListPage):
                self.permissions -= FROZEN
