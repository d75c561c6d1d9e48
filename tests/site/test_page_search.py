"""Wagtail's page search in one language (issue 20): the count of matching pages, which Wagtail's Chinese catalog
lacks, comes from the project's (locale/zh_Hans); in English it is Wagtail's own. The title column counts pages,
not "None" (smartsite.page_search)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from wagtail.admin.views.pages.search import SearchView

from smartsite.page_search import name_page_search_results
from tests.browser.language import HAN
from tests.factories import AdminFactory

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    html = re.sub(r"<(script|template)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def alert(html: str) -> str:
    """Return the search's result line (Wagtail's <h2 role="alert">), as read."""
    found = re.search(r'<h2 role="alert">(.*?)</h2>', html, flags=re.S)
    assert found, html[-3000:]
    return text_of(found.group(1))


def main(html: str) -> str:
    return text_of(html[html.index("<main"):html.index("</main>")])


def test_the_count_of_matching_pages_in_each_language(client, in_english, demo):
    client.force_login(AdminFactory())
    one, many = client.get("/admin/pages/search/?q=示范中心区"), client.get("/admin/pages/search/?q=示范")
    assert alert(one.content.decode()) == "找到 1 个匹配的页面"
    assert re.fullmatch(r"找到 ([2-9]) 个匹配的页面", alert(many.content.decode())), alert(many.content.decode())
    assert "共 1 个页面" in main(one.content.decode()) and "None" not in main(one.content.decode())
    english = in_english(client)
    one, many = english.get("/admin/pages/search/?q=示范中心区"), english.get("/admin/pages/search/?q=示范")
    assert alert(one.content.decode()) == "There is one matching page"
    assert re.fullmatch(r"There are [2-9] matching pages", alert(many.content.decode()))
    read = main(one.content.decode())
    assert "1-1 of 1 page" in read and "None" not in read
    # Chinese left in English: the page's own titles (names) only
    assert set(HAN.findall(read)) <= {"示范中心区", "示范市"}, read


def test_the_search_is_named_once():
    assert name_page_search_results() is False  # done at startup (SmartsiteConfig.ready)
    assert str(SearchView.verbose_name_plural) == "页面"
