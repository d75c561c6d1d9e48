"""Write many Wagtail pages at once: new pages and moved subtrees, computing treebeard's materialised paths.

`Page.add_child` and `Page.move` cost several queries per page (path lookup, parent update, full_clean, signals,
a log entry), which is many minutes for a province. Here the pages to create and the subtrees to move are
planned in memory first and then written one tree level at a time, shallowest first, so a level's parents
already have their final paths: at each level the moves are one UPDATE per moved subtree (path, url_path), the
new pages one multi-row INSERT into wagtailcore_page per batch and then their specific rows (CityPage,
CommunityPage …) with `executemany`, since Django's `bulk_create` refuses multi-table inheritance. Parent
page counts (numchild) are adjusted at the end. The result is a tree `Page.find_problems()` accepts.

Used by the register write path (communities.register_write) and the synthetic province (devtools.province).
Nothing here logs or indexes: the caller decides (the register logs one entry per import).
"""

from __future__ import annotations

import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, Max, TextField, Value
from django.db.models.functions import Concat, Substr
from wagtail.models import Locale, Page

from .bulk import Inserter, reserve_ids

CHUNK = 500  # ids or paths per IN (…) lookup
PAGE_COLUMNS = ("id", "path", "depth", "numchild", "title", "draft_title", "slug", "url_path", "content_type",
                "locale", "translation_key", "live", "has_unpublished_changes", "show_in_menus")


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
    """A page to be created. `parent` is another planned node or an existing page's id; `fields` are the
    specific model's own columns (a PageNode value there is a foreign key to that node's page)."""

    model: type[Page]
    title: str
    slug: str
    fields: dict
    parent: PageNode | int
    children: list[PageNode] = field(default_factory=list)
    path: str = ""
    depth: int = 0
    url_path: str = ""
    pk: int | None = None


@dataclass(eq=False)
class PageMove:
    """An existing page (with its subtree) to be put under another parent, at the same depth, as `slug`."""

    pk: int
    parent: PageNode | int
    slug: str
    depth: int = 0


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _pk(parent: PageNode | int) -> int:
    return parent.pk if isinstance(parent, PageNode) else parent


class PageTree:
    """Collect pages to create and subtrees to move, then write them all with a few bulk statements."""

    def __init__(self, parent: Page | None = None, *, seed: int | None = None):
        self.parent = parent  # where add(None, …) puts a page
        self.nodes: list[PageNode] = []
        self.moves: list[PageMove] = []
        # A seed makes generated data repeatable; real imports take fresh random translation keys.
        self.rng = random.Random(seed) if seed is not None else None

    def add(self, parent: PageNode | Page | int | None, model: type[Page], title: str, slug: str,
            **fields) -> PageNode:
        """Plan a page under `parent` (a planned node, an existing page or its id; None: the tree's parent)."""
        if parent is None:
            parent = self.parent
        node = PageNode(model=model, title=title, slug=slug, fields=fields,
                        parent=parent.pk if isinstance(parent, Page) else parent)
        if isinstance(node.parent, PageNode):
            node.parent.children.append(node)
        self.nodes.append(node)
        return node

    def move(self, pk: int, parent: PageNode | Page | int, slug: str) -> None:
        """Plan moving the existing page `pk` and its subtree under `parent` (at the same depth) as `slug`."""
        self.moves.append(PageMove(pk, parent.pk if isinstance(parent, Page) else parent, slug))

    def insert(self) -> int:
        """Write everything planned; return how many pages were created."""
        return self.write()[0]

    def write(self) -> tuple[int, int]:
        """Write everything planned, shallowest level first; return (pages created, subtrees moved)."""
        self._depths()
        levels: dict[int, tuple[list[PageMove], list[PageNode]]] = defaultdict(lambda: ([], []))
        for move in self.moves:
            levels[move.depth][0].append(move)
        for node in self.nodes:
            levels[node.depth][1].append(node)
        numchild: Counter = Counter()
        locale_id = Locale.get_default().pk if self.nodes else None
        for depth in sorted(levels):
            moves, nodes = levels[depth]
            steps = _Steps(depth, [m.parent for m in moves] + [n.parent for n in nodes])
            for move in sorted(moves, key=lambda m: m.pk):
                _move(move, steps, numchild)
            self._create(nodes, steps, locale_id, numchild)
        by_delta: dict[int, list[int]] = defaultdict(list)
        for parent, delta in numchild.items():
            if delta:
                by_delta[delta].append(_pk(parent))
        for delta, pks in by_delta.items():
            for chunk in _chunks(pks):
                Page.objects.filter(pk__in=chunk).update(numchild=F("numchild") + delta)
        return len(self.nodes), len(self.moves)

    def _depths(self) -> None:
        """Give every node and move its depth; a move must keep its page's depth (a level of the tree)."""
        existing = {n.parent for n in self.nodes if not isinstance(n.parent, PageNode)}
        existing |= {m.pk for m in self.moves} | {m.parent for m in self.moves if not isinstance(m.parent, PageNode)}
        depths: dict[int, int] = {}
        for chunk in _chunks(sorted(existing)):
            depths.update(Page.objects.filter(pk__in=chunk).values_list("pk", "depth"))
        if missing := existing - set(depths):
            raise ValueError(f"pages {sorted(missing)[:5]} do not exist")
        for node in self.nodes:  # a node's parent node was added before it
            node.depth = (node.parent.depth if isinstance(node.parent, PageNode) else depths[node.parent]) + 1
        for move in self.moves:
            parent_depth = move.parent.depth if isinstance(move.parent, PageNode) else depths[move.parent]
            move.depth = depths[move.pk]
            if parent_depth + 1 != move.depth:
                raise ValueError(f"page {move.pk} would change depth")

    def _create(self, nodes: list[PageNode], steps: _Steps, locale_id, numchild: Counter) -> None:
        if not nodes:
            return
        for node in nodes:
            path, url_path = steps.parent_paths(node.parent)
            node.path = path + encode_step(steps.next(node.parent))
            node.url_path = f"{url_path}{node.slug}/"
            if not isinstance(node.parent, PageNode):
                numchild[node.parent] += 1
        for node, pk in zip(nodes, reserve_ids(Page, len(nodes)), strict=True):
            node.pk = pk
        # Rows straight into wagtailcore_page: building 60,000 Page objects for bulk_create costs a minute.
        pages = Inserter(Page, PAGE_COLUMNS)
        types = {model: ContentType.objects.get_for_model(model).pk for model in {node.model for node in nodes}}
        pages.insert(
            (node.pk, node.path, node.depth, len(node.children), node.title, node.title, node.slug, node.url_path,
             types[node.model], locale_id, pages.prep("translation_key", self._key()), True, False, False)
            for node in nodes
        )
        groups: dict[tuple, list[PageNode]] = defaultdict(list)
        for node in nodes:
            groups[node.model, tuple(node.fields)].append(node)
        for (model, _), group in groups.items():
            _insert_specific(model, group)

    def _key(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4) if self.rng else uuid.uuid4()


class _Steps:
    """The next free child number under each parent of one level, and the parents' current paths."""

    def __init__(self, depth: int, parents: list[PageNode | int]):
        self.depth = depth
        ids = sorted({p for p in parents if not isinstance(p, PageNode)})
        self.paths: dict[int, tuple[str, str]] = {}
        for chunk in _chunks(ids):  # read now: moves at shallower levels may have changed them
            self.paths.update((pk, (path, url)) for pk, path, url in
                              Page.objects.filter(pk__in=chunk).values_list("pk", "path", "url_path"))
        self.last: dict[str, int] = {}
        prefix = Page.steplen * (depth - 1)
        wanted = sorted(path for path, _ in self.paths.values())
        for chunk in _chunks(wanted):
            rows = (Page.objects.filter(depth=depth).annotate(parent_path=Substr("path", 1, prefix))
                    .filter(parent_path__in=chunk).values("parent_path").annotate(top=Max("path")))
            self.last.update((row["parent_path"], decode_step(row["top"][-Page.steplen:])) for row in rows)

    def parent_paths(self, parent: PageNode | int) -> tuple[str, str]:
        return (parent.path, parent.url_path) if isinstance(parent, PageNode) else self.paths[parent]

    def next(self, parent: PageNode | int) -> int:
        path = self.parent_paths(parent)[0]
        self.last[path] = self.last.get(path, 0) + 1
        return self.last[path]


def _move(move: PageMove, steps: _Steps, numchild: Counter) -> None:
    """Put one page and its subtree under its new parent: rewrite the path and url_path prefixes in one UPDATE."""
    old_path, old_url = Page.objects.filter(pk=move.pk).values_list("path", "url_path").get()
    old_parent = Page.objects.filter(path=old_path[:-Page.steplen]).values_list("pk", flat=True).get()
    parent_path, parent_url = steps.parent_paths(move.parent)
    new_path = parent_path + encode_step(steps.next(move.parent))
    new_url = f"{parent_url}{move.slug}/"
    Page.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1), output_field=CharField()),
        url_path=Concat(Value(new_url), Substr("url_path", len(old_url) + 1), output_field=TextField()),
    )
    Page.objects.filter(pk=move.pk).update(slug=move.slug)
    numchild[old_parent] -= 1
    numchild[move.parent] += 1


def _insert_specific(model: type[Page], nodes: list[PageNode]) -> None:
    """Insert the specific-model rows (page_ptr + own columns) for pages already in wagtailcore_page."""
    names = list(nodes[0].fields)
    inserter = Inserter(model, ["page_ptr", *names])
    inserter.insert(
        [node.pk] + [value.pk if isinstance(value, PageNode) else value for value in map(node.fields.get, names)]
        for node in nodes
    )
