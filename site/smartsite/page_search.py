"""Wagtail's page search names what it counts (issue 20).

Its SearchView is a BaseListingView without a model, so the title column's "1-20 of 186 %(model_name)s" reads
"1-20 of 186 None" (Chinese: "共 186 个None"). Wagtail's explorer takes the names from the Page model; the search
gets the same, lazily, so they follow the reader's language. tests/site/test_page_search.py guards it.
"""

from __future__ import annotations


def name_page_search_results() -> bool:
    """Give Wagtail's page search the Page model's verbose names where it has none; return whether it needed them."""
    from wagtail.admin.views.pages.search import SearchView
    from wagtail.models import Page

    if SearchView.verbose_name is not None or SearchView.verbose_name_plural is not None:
        return False  # a Wagtail that names them itself
    SearchView.verbose_name = Page._meta.verbose_name
    SearchView.verbose_name_plural = Page._meta.verbose_name_plural
    return True
