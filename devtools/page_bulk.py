"""Insert a large subtree of Wagtail pages in bulk, computing treebeard's materialised paths directly.

`Page.add_child` costs several queries per page (path lookup, parent update, full_clean, signals), which is
minutes for a province. Here the whole subtree is laid out in memory first — path, depth, numchild and url_path
are known before anything is written — and then inserted one tree level at a time: one multi-row INSERT into
wagtailcore_page per batch, then the specific rows (CityPage, CommunityPage …) with `executemany`, since Django's
`bulk_create` refuses multi-table inheritance. The result is a tree `Page.find_problems()` accepts.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from wagtail.models import Locale, Page

from .bulk import Inserter

BATCH = 2000


def encode_step(number: int) -> str:
    """Return treebeard's path step for the `number`-th child (1-based), e.g. 1 → "0001", 36 → "0010"."""
    alphabet, steplen = Page.alphabet, Page.steplen
    if not 0 < number < len(alphabet) ** steplen:
        raise ValueError(f"page step {number} out of range")
    digits = ""
    while number:
        number, rest = divmod(number, len(alphabet))
        digits = alphabet[rest] + digits
    return digits.rjust(steplen, alphabet[0])


def decode_step(step: str) -> int:
    """Return the child number a path step encodes."""
    return int(step, len(Page.alphabet))


@dataclass(eq=False)
class PageNode:
    """A page to be created; `fields` are the specific model's own columns (a PageNode value is a FK to it)."""

    model: type[Page]
    title: str
    slug: str
    fields: dict
    parent: PageNode | None = None
    children: list[PageNode] = field(default_factory=list)
    path: str = ""
    depth: int = 0
    url_path: str = ""
    pk: int | None = None


class PageTree:
    """Collect pages under an existing parent page, then write them all with a few bulk statements."""

    def __init__(self, parent: Page, *, seed: int = 0):
        self.parent = parent
        self.top: list[PageNode] = []
        self.rng = random.Random(seed)

    def add(self, parent: PageNode | None, model: type[Page], title: str, slug: str, **fields) -> PageNode:
        """Plan a page under `parent` (None: under the existing parent page) and return its node."""
        node = PageNode(model=model, title=title, slug=slug, fields=fields, parent=parent)
        (parent.children if parent else self.top).append(node)
        return node

    def _layout(self) -> dict[int, list[PageNode]]:
        last = self.parent.get_last_child()
        first = decode_step(last.path[-Page.steplen:]) + 1 if last else 1
        levels: dict[int, list[PageNode]] = defaultdict(list)
        stack = [(self.parent.path, self.parent.depth, self.parent.url_path, self.top, first)]
        while stack:
            path, depth, url_path, children, start = stack.pop()
            for number, node in enumerate(children, start=start):
                node.path, node.depth = path + encode_step(number), depth + 1
                node.url_path = f"{url_path}{node.slug}/"
                levels[node.depth].append(node)
                stack.append((node.path, node.depth, node.url_path, node.children, 1))
        return levels

    def insert(self) -> int:
        """Write every planned page, level by level; return how many were created."""
        levels = self._layout()
        locale_id = Locale.get_default().pk
        total = 0
        for depth in sorted(levels):
            nodes = levels[depth]
            pages = [self._page(node, locale_id) for node in nodes]
            Page.objects.bulk_create(pages, batch_size=BATCH)
            for node, page in zip(nodes, pages, strict=True):
                node.pk = page.pk
            by_model: dict[type[Page], list[PageNode]] = defaultdict(list)
            for node in nodes:
                by_model[node.model].append(node)
            for model, group in by_model.items():
                _insert_specific(model, group)
            total += len(nodes)
        if self.top:
            Page.objects.filter(pk=self.parent.pk).update(numchild=F("numchild") + len(self.top))
        return total

    def _page(self, node: PageNode, locale_id: int) -> Page:
        content_type = ContentType.objects.get_for_model(node.model)
        return Page(
            path=node.path, depth=node.depth, numchild=len(node.children), title=node.title,
            draft_title=node.title, slug=node.slug, url_path=node.url_path, content_type=content_type,
            locale_id=locale_id, translation_key=uuid.UUID(int=self.rng.getrandbits(128), version=4),
            live=True, has_unpublished_changes=False, show_in_menus=False,
        )


def _insert_specific(model: type[Page], nodes: list[PageNode]) -> None:
    """Insert the specific-model rows (page_ptr + own columns) for pages already in wagtailcore_page."""
    names = list(nodes[0].fields)
    inserter = Inserter(model, ["page_ptr", *names])
    inserter.insert(
        [node.pk] + [value.pk if isinstance(value, PageNode) else value for value in map(node.fields.get, names)]
        for node in nodes
    )
