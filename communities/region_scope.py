"""Region names stay in scope in Wagtail's own page screens: nobody learns another city's regions from the page
chooser, its search, the pages it reports chosen, or the confirmation of a bulk action on pages.

A region page is visible to a user who may `VIEW_REGION` there (an assignment over it or over a region above it:
their own regions and everything under them) and, so that the tree can be walked down to them, the regions
above their own. Administrators see every page; an expert, who holds no region, sees none. Anything else is a
404, as if the page did not exist.

Wagtail asks hooks for the chooser's and explorer's listings (`construct_page_chooser_queryset`,
`construct_explorer_page_queryset`); the chooser's parent page and chosen pages and the bulk actions' pages are
looked up without one, so those views are taken over here (`scoped_admin_urls`, `scoped_bulk_actions`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction
from wagtail.models import Page

from . import policy
from .actions import CommunityAction


@dataclass(frozen=True)
class Visibility:
    """The pages a user may see named: everything (`everything`), or those under `paths` and above them."""

    everything: bool
    paths: tuple[str, ...] = ()

    @property
    def above(self) -> frozenset[str]:
        step = Page.steplen
        return frozenset(p[:end] for p in self.paths for end in range(step, len(p), step))

    def q(self) -> Q:
        """The condition on Page's `path`: visible pages only."""
        if self.everything:
            return Q()
        condition = Q(depth=1) | Q(path__in=self.above)  # the tree's root names no region
        for mine in self.paths:
            condition |= Q(path__startswith=mine)
        return condition

    def covers(self, page: Page) -> bool:
        if self.everything or page.depth == 1 or page.path in self.above:
            return True
        return any(page.path.startswith(mine) for mine in self.paths)


def visibility(user) -> Visibility:
    """Return which region pages the user may see named (cached on the user for the request)."""
    if "_region_visibility" not in user.__dict__:
        paths = policy.scope_paths(user, CommunityAction.VIEW_REGION)
        user._region_visibility = Visibility(paths is None, tuple(paths or ()))
    return user._region_visibility


def visible_pages(user, pages):
    """Narrow a page queryset to the pages the user may see named."""
    return pages.filter(visibility(user).q())


def require_visible(user, pages) -> None:
    """Raise Http404 unless the user may see every one of these pages named."""
    seen = visibility(user)
    if not all(seen.covers(page) for page in pages):
        raise Http404


# --- Wagtail's page chooser ----------------------------------------------------------------------------------


class ScopedBrowseView(chooser.BrowseView):
    """The chooser's "children of this page": the page itself (its title, its breadcrumbs) must be in scope."""

    def get(self, request, parent_page_id=None):
        if parent_page_id is not None:
            parent = Page.objects.filter(pk=parent_page_id).first()
            if parent is None:
                raise Http404
            require_visible(request.user, [parent])
        return super().get(request, parent_page_id)


class ScopedChosenMultipleView(chooser.ChosenMultipleView):
    """The pages ticked in a multiple chooser, reported back by id: only pages in scope."""

    def get(self, request):
        require_visible(request.user, Page.objects.filter(pk__in=request.GET.getlist("id")))
        return super().get(request)


def scoped_admin_urls() -> list:
    """The chooser URLs taken over, to be placed before Wagtail's admin URLs (smartsite.urls)."""
    return [
        path("admin/choose-page/<int:parent_page_id>/", require_admin_access(ScopedBrowseView.as_view())),
        path("admin/choose-page/chosen-multiple/", require_admin_access(ScopedChosenMultipleView.as_view())),
    ]


# --- bulk actions on pages -----------------------------------------------------------------------------------


class InScopeBulkAction:
    """A page bulk action whose confirmation (and execution) names only pages in the user's scope: a page out of
    scope is a 404 for the whole request, not a title listed under "you may not"."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        require_visible(self.request.user, [*objects, *extra["items_with_no_access"]])
        return objects, extra


def scoped_bulk_actions() -> list[type]:
    """Wagtail's page bulk actions, each with the scope check (registered after Wagtail's, so they replace them)."""
    bases = (DeleteBulkAction, MoveBulkAction, PublishBulkAction, UnpublishBulkAction)
    return [type(f"InScope{base.__name__}", (InScopeBulkAction, base), {}) for base in bases]
