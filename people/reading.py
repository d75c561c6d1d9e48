"""Reading a roster file: the one place that turns uploaded bytes into header and rows.

It goes through the register's reader today (CSV in UTF-8 with or without BOM, GBK/GB18030, or XLSX); when the
project's one bounded spreadsheet reader lands, this function is what switches to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from communities.register import RegisterFileError, read_dataset


class RosterFileError(ValueError):
    """The file as a whole cannot be read."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (the row's number as Excel shows it, its cells as text)


def cell(value) -> str:
    """Return a cell as trimmed text; Excel stores typed numbers as floats (13800000000.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(content: bytes, filename: str) -> Table:
    """Return the header and the non-empty rows of a CSV or XLSX roster."""
    if not content.strip():
        raise RosterFileError(_("文件为空"))
    try:
        dataset = read_dataset(content, filename)
    except RegisterFileError as exc:
        raise RosterFileError(str(exc)) from exc
    except Exception as exc:  # a CSV parser fails in many ways on binary junk
        raise RosterFileError(_("无法读取文件：请上传CSV（UTF-8或GBK编码）或XLSX文件")) from exc
    headers = [cell(h) for h in (dataset.headers or [])]
    rows = []
    for number, values in enumerate(dataset, start=2):
        texts = [cell(v) for v in values]
        if any(texts):
            rows.append((number, texts))
    return Table(headers, rows)
