"""What a register import did (or, in a dry run, would do): the counts of the summary line and every change,
which `--report` writes as CSV (code, name, level, change, old/new parent and name)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import IO

from smartsite.import_report import ImportReport
from smartsite.spreadsheet import SafeCSVWriter

from .register_plan import LEVEL_NAMES, Change, Entry, Plan

COUNTED = ("city", "unit", "street", "community")
REPORT_COLUMNS = ("code", "name", "level", "change", "old_code", "old_parent", "new_parent", "old_name", "new_name",
                  "detail")
UPDATES = (Change.RENAMED, Change.MOVED, Change.RESTORED, Change.UPDATED)


def _counts() -> dict[str, int]:
    return dict.fromkeys(COUNTED, 0)


def _levels(counts: dict[str, int]) -> str:
    return f"市{counts['city']} 区县{counts['unit']} 街道/乡镇{counts['street']} 社区{counts['community']}"


@dataclass
class RegisterReport(ImportReport):
    """The register's import report. `division` reports say what was retired and how units changed."""

    created: dict[str, int] = field(default_factory=_counts)
    updated: dict[str, int] = field(default_factory=_counts)
    retired: dict[str, int] = field(default_factory=_counts)
    kinds: Counter = field(default_factory=Counter)  # units updated by each kind of change
    entries: list[Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    division: bool = False

    def count(self, plan: Plan) -> None:
        """Take the plan's changes: each unit counts once among the updated, and once per kind of change."""
        self.entries, self.notes = plan.entries, plan.notes
        updated: dict[tuple, set] = {}
        for entry in plan.entries:
            if entry.change == Change.NEW and entry.level in COUNTED:
                self.created[entry.level] += 1
            elif entry.change == Change.RETIRED and entry.level in COUNTED:
                self.retired[entry.level] += 1
            elif entry.change in UPDATES:
                updated.setdefault((entry.level, entry.pk), set()).add(entry.change)
        for (level, _), changes in updated.items():
            if level in COUNTED:
                self.updated[level] += 1
                self.kinds.update(changes)

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.retired.values())

    def describe(self) -> str:
        parts = [f"新增 {_levels(self.created)}", f"更新 {_levels(self.updated)}"]
        if self.division:
            if kinds := "，".join(f"{change}{self.kinds[change]}" for change in UPDATES if self.kinds[change]):
                parts[1] += f"（{kinds}）"
            parts.append(f"撤销 {_levels(self.retired)}")
        return "；".join(parts)


def write_changes(entries: list[Entry], stream: IO[str]) -> None:
    """Write every change as CSV, one row per unit and kind of change (formula-safe, for Excel)."""
    writer = SafeCSVWriter(stream)
    writer.writerow(REPORT_COLUMNS)
    for e in entries:
        writer.writerow([e.code, e.name, LEVEL_NAMES[e.level], str(e.change), e.old_code, e.old_parent,
                         e.new_parent, e.old_name, e.new_name, e.detail])
