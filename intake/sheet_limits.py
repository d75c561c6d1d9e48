"""How much one spreadsheet may hold, and how a refusal is said (shared by the reader and the archive check)."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much one spreadsheet may hold; each upload path passes its own (a template is small, a register not)."""

    bytes: int = 10 * MIB  # the file as uploaded
    unzipped: int = 64 * MIB  # every part of an XLSX together, as the archive declares them
    part: int = 4 * MIB  # each part openpyxl parses whole
    rows: int = 100_000  # the highest row number with a value
    columns: int = 200
    cells: int = 1_000_000  # cells with a value
    chars: int = 32_767  # one cell's text: Excel's own limit


DEFAULT_LIMITS = Limits()


class SpreadsheetError(ValueError):
    """The file is refused; `message` is plain Chinese, naming the cell or row where there is one."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def size_text(limit: int) -> str:
    return f"{limit // MIB} MB" if limit >= MIB else f"{max(1, limit // 1024)} KB"
