"""The one register write path: both register formats (import_communities, import_divisions, the admin's
导入社区名册) end here. It asks the policy, writes the plan in one transaction with bulk statements (pages,
moved subtrees, renames, kinds, retirements, the ancestor links on each page), adds the changed pages to the
search index in one background job once it commits, and logs one entry for the whole import on the province."""

from __future__ import annotations

import base64
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from audit.actors import log

from . import policy
from .actions import CommunityAction
from .page_bulk import PageNode, PageTree
from .register_plan import LINKS, MODELS, Change, Plan, unit_kind
from .tasks import index_region_pages

BATCH = 1000
LOG_ENTRIES = 500  # changes other than 新增 recorded in the log entry itself; the rest only in the report file
ANALYZE_AFTER = 1000  # pages created or moved before PostgreSQL's planner statistics are refreshed
REGISTER_IMPORTED = "communities.register_imported"
DIVISIONS_IMPORTED = "communities.divisions_imported"
LOG_ACTIONS = {REGISTER_IMPORTED: gettext_lazy("导入社区名册"), DIVISIONS_IMPORTED: gettext_lazy("导入统计用区划代码")}


class _Writer:
    """Turns a plan into bulk writes; `ref` is where a listed unit's page is after the import."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.nodes: dict[tuple[str, str], PageNode] = {}

    def ref(self, key: tuple[str, str]) -> PageNode | int:
        return self.nodes.get(key) or self.plan.page(key).pk

    def pk(self, key: tuple[str, str]) -> int:
        target = self.ref(key)
        return target.pk if isinstance(target, PageNode) else target

    def parent_key(self, key: tuple[str, str]) -> tuple[str, str] | None:
        """The key of a unit's parent after the import (a listed key, or a held page's own)."""
        if item := self.plan.listed.get(key):
            return item.parent_key
        page = self.plan.held[key]
        if item := self.plan.moves.get(page.pk):
            return item.parent_key
        return page.parent.key if page.parent else None

    def links(self, key: tuple[str, str]) -> dict:
        """The ancestor links a page of this key carries (unit.city, street.unit, community.street/unit/city)."""
        names = LINKS.get(key[0], ())
        found, current = {}, key
        for name in names:
            current = self.parent_key(current)
            found[name] = current
        return found

    def tree(self) -> int:
        """Create the new pages and move the moved ones (with their subtrees); return how many were written."""
        tree = PageTree()
        root = Page.get_first_root_node().pk
        for item in self.plan.creates:
            parent = self.ref(item.parent_key) if item.parent_key else root
            fields = dict(item.fields)
            if item.level == "unit" and "division_kind" in fields:
                fields = unit_kind(None, fields["division_kind"])
            fields.update({name: self.ref(key) for name, key in self.links(item.key).items()})
            self.nodes[item.key] = tree.add(parent, MODELS[item.level], item.name, item.code, code=item.code,
                                            **fields)
        for pk, item in self.plan.moves.items():
            tree.move(pk, self.ref(item.parent_key), item.code)
        created, moved = tree.write()
        return created + moved

    def fields(self) -> None:
        """Write codes, names, kinds, restorations and retirements of held pages, in bulk."""
        by_level: dict[str, dict[int, dict]] = defaultdict(dict)
        levels = {page.pk: page.level for page in self.plan.held.values()}
        for pk, changes in self.plan.updates.items():
            by_level[levels[pk]][pk] = changes
        titles = [Page(pk=pk, title=c["title"], draft_title=c["title"])
                  for pk, c in self.plan.updates.items() if "title" in c]
        Page.objects.bulk_update(titles, ["title", "draft_title"], batch_size=BATCH)
        for level, changes in by_level.items():
            model = MODELS[level]
            moved = [pk for pk, c in changes.items() if "code" in c]
            # Codes are unique: a page may take the code another one leaves in this import, so park them first.
            _update(model, {pk: {"code": _parked(pk)} for pk in moved})
            _update(model, {pk: {k: v for k, v in c.items() if k != "title"} for pk, c in changes.items()})
        now = timezone.now()
        retired: dict[str, list[int]] = defaultdict(list)
        for page in self.plan.retires:
            retired[page.level].append(page.pk)
        for level, pks in retired.items():
            for start in range(0, len(pks), BATCH):
                MODELS[level].objects.filter(pk__in=pks[start:start + BATCH]).update(retired_at=now)

    def relink(self) -> None:
        """Put each held page's ancestor links in step with the tree after the moves."""
        wanted: dict[str, dict[int, dict]] = defaultdict(dict)
        for page in self.plan.held.values():
            if page.level not in LINKS:
                continue
            moved = self.plan.moves.get(page.pk)
            links = {name: self.pk(key) for name, key in self.links(moved.key if moved else page.key).items()}
            if links != page.links:
                wanted[page.level][page.pk] = {f"{name}_id": pk for name, pk in links.items()}
        for level, changes in wanted.items():
            _update(MODELS[level], changes)

    def touched(self) -> dict[str, list[int]]:
        """The pages whose indexed text is new or changed: created, renamed or moved."""
        pages: dict[str, list[int]] = defaultdict(list)
        for key, node in self.nodes.items():
            pages[key[0]].append(node.pk)
        levels = {page.pk: page.level for page in self.plan.held.values()}
        for pk, changes in self.plan.updates.items():
            if "title" in changes or "code" in changes:
                pages[levels[pk]].append(pk)
        return pages


def _parked(pk: int) -> str:
    """A temporary code no real one can be (codes are digits), short enough for a 6-digit field."""
    return "~" + base64.b32encode(pk.to_bytes(4, "big")).decode().rstrip("=")[-5:]


def _update(model, changes: dict[int, dict]) -> None:
    """Update many pages of one model, grouped by the set of fields each changes."""
    groups: dict[tuple, list] = defaultdict(list)
    for pk, values in changes.items():
        if values:
            groups[tuple(sorted(values))].append(model(pk=pk, **values))
    for names, objects in groups.items():
        model.objects.bulk_update(objects, list(names), batch_size=BATCH)


def _analyze() -> None:
    """Refresh PostgreSQL's planner statistics after a large import (SQLite's would mislead the roll-up)."""
    if connection.vendor == "postgresql":
        tables = [Page._meta.db_table, *(model._meta.db_table for model in MODELS.values())]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def _log_entry(plan: Plan, action: str, data: dict) -> dict:
    others = [e for e in plan.entries if e.change != Change.NEW]
    data["changes"] = [
        {"code": e.code, "level": e.level, "change": str(e.change), **{k: v for k, v in (
            ("old_code", e.old_code), ("old_parent", e.old_parent), ("new_parent", e.new_parent),
            ("old_name", e.old_name), ("new_name", e.new_name), ("detail", e.detail)) if v}}
        for e in others[:LOG_ENTRIES]
    ]
    data["changes_total"] = len(others)
    return data


@transaction.atomic
def register_write(*, plan: Plan, actor, action: str = REGISTER_IMPORTED, data: dict) -> None:
    """Apply a checked plan as `actor` in one transaction, and log it once on the province."""
    policy.require(actor, CommunityAction.EDIT_REGISTER)
    if plan.errors:
        raise ValueError("a plan with errors cannot be written")
    writer = _Writer(plan)
    written = writer.tree()
    writer.fields()
    writer.relink()
    touched = writer.touched()
    if any(touched.values()):
        transaction.on_commit(lambda: index_region_pages.enqueue(touched))
    if written >= ANALYZE_AFTER:
        _analyze()
    province = next((p for p in plan.held.values() if p.level == "province"), None)
    province_pk = writer.pk(("province", province.code)) if province else next(
        (node.pk for key, node in writer.nodes.items() if key[0] == "province"), None)
    if province_pk is not None:
        log(Page.objects.get(pk=province_pk).specific, action, actor=actor, data=_log_entry(plan, action, data))
