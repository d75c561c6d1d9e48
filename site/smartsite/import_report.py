"""One report for every import (register, division table, results, self-assessment values): the bad rows or
lines with their numbers and file, what was counted, whether it was a dry run, and the one-line summary that
commands print and admin screens show. Each import names its own counts in `describe`."""

from __future__ import annotations

from dataclasses import dataclass, field

DRY_RUN_NOTE = "（试运行，未写入）"
FAILED = "导入失败，未写入任何数据："


@dataclass(frozen=True)
class RowError:
    """A bad row (as Excel numbers it: the header is row 1) or JSONL line, and what is wrong with it."""

    row: int
    message: str
    file: str = ""  # named when an import reads several files

    @property
    def line(self) -> int:
        return self.row

    def __str__(self) -> str:
        return f"{self.file} 第{self.row}行：{self.message}" if self.file else f"第{self.row}行：{self.message}"


@dataclass
class ImportReport:
    """What one import read and did, or every reason it wrote nothing."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    file: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def lines(self) -> int:
        """The number of lines read (JSONL imports speak of lines)."""
        return self.rows

    def error(self, row: int, message: str, file: str | None = None) -> None:
        """Record a bad row (of this report's file unless another is named)."""
        self.errors.append(RowError(row, message, self.file if file is None else file))

    def sort_errors(self) -> None:
        self.errors.sort(key=lambda e: (e.file, e.row))

    def describe(self) -> str:
        """Say what the import did (or would do), e.g. "导入指标2项，照片1张"; each import says its own."""
        return ""

    def summary(self) -> str:
        described = self.describe()
        text = f"共{self.rows}行" + (f"；{described}" if described else "")
        return text + (DRY_RUN_NOTE if self.dry_run else "")

    def failure(self) -> str:
        """The message a command exits with when any row was bad: every bad row, one per line."""
        return FAILED + "\n" + "\n".join(str(error) for error in self.errors)
