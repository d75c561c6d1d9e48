"""Reading a roster file: the one place that turns uploaded bytes into header and rows.

It goes through the register's one reader (`communities.tables`: CSV in UTF-8 with or without BOM, GBK/GB18030,
or XLSX).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from communities.tables import TableError
from communities.tables import read_table as read_register_table


class RosterFileError(ValueError):
    """The file as a whole cannot be read."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (the row's number as Excel shows it, its cells as text)


def read_table(content: bytes, filename: str) -> Table:
    """Return the header and the non-empty rows of a CSV or XLSX roster (through the register's one reader)."""
    if not content.strip():
        raise RosterFileError(_("文件为空"))
    try:
        table = read_register_table(content, filename)
    except TableError as exc:
        raise RosterFileError(str(exc)) from exc
    except Exception as exc:  # a CSV parser fails in many ways on binary junk
        raise RosterFileError(_("无法读取文件：请上传CSV（UTF-8或GBK编码）或XLSX文件")) from exc
    return Table(table.header, table.rows)
