"""import_divisions: the official division table, as it circulates (one or several CSV/XLSX files), into the
register through the one write path. Atomic: any bad row and nothing is written; every bad row is named with
its file and row number. A dry run counts exactly what a real run would do (it is the same plan)."""

from __future__ import annotations

from . import policy
from .actions import CommunityAction
from .divisions import parse_files, parse_moves
from .register_plan import plan_register
from .register_report import RegisterReport
from .register_write import DIVISIONS_IMPORTED, register_write
from .tables import TableError


def import_divisions(files: list[tuple[str, bytes]], *, actor, dry_run: bool = False, retire_missing: bool = False,
                     moves: tuple[str, bytes] | None = None) -> RegisterReport:
    """Import the division table's files (name, content) as `actor`; `moves` is a CSV of old_code,new_code."""
    policy.require(actor, CommunityAction.EDIT_REGISTER)
    parsed = parse_files(files)
    report = RegisterReport(rows=parsed.rows, dry_run=dry_run, division=True)
    for file, row, message in parsed.errors:
        report.error(row, message, file)
    stated = []
    if moves is not None:
        name, content = moves
        try:
            found, problems = parse_moves(content, name)
        except TableError as exc:
            found, problems = [], [(name, 1, str(exc))]
        stated = [(name, *move) for move in found]
        for file, row, message in problems:
            report.error(row, message, file)
    if report.ok:
        plan = plan_register(parsed.listed, retire_missing=retire_missing, moves=stated)
        for file, row, message in plan.errors:
            report.error(row, message, file)
    report.sort_errors()
    if not report.ok:
        return report
    report.count(plan)
    if not dry_run:
        register_write(plan=plan, actor=actor, action=DIVISIONS_IMPORTED, data={
            "files": [name for name, _ in files], "moves": moves[0] if moves else None,
            "retire_missing": retire_missing, "rows": report.rows, "created": report.created,
            "updated": report.updated, "retired": report.retired,
        })
    return report
