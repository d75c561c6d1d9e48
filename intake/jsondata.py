"""JSON bodies and JSONL lines, read within bounds: size, nesting depth (checked before json.loads, which would
otherwise recurse until Python's limit and answer a RecursionError), numbers (intake.numbers: bounded before int()
or Decimal() reads them, decimals kept exact), no NaN or Infinity (PostgreSQL's jsonb refuses them), and field
names checked against those expected so an unknown one is named instead of silently dropped."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .numbers import NumberError, json_float, json_int

MAX_BYTES = 1024 * 1024  # one phone save or one import line; a real one is a few KB
MAX_DEPTH = 10  # the deepest real document (a phone save's not_applicable notes) nests three levels
JSONL_MAX_BYTES = 32 * 1024 * 1024  # a results file for a whole city (25,000 lines) is about 12 MB

# A string literal (escapes included; an unterminated one runs to the end) or a bracket: brackets inside strings
# are skipped as part of their string, and no match ever backtracks past a quote.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)
_OPEN, _CLOSE = frozenset("[{"), frozenset("]}")


class JsonError(ValueError):
    """A body, line or file refused; `message` is plain Chinese."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{max(1, limit // 1024)} KB"


def check_depth(text: str, max_depth: int = MAX_DEPTH) -> None:
    """Raise JsonError when arrays and objects nest deeper than `max_depth`, reading brackets outside strings only."""
    if text.count("[") + text.count("{") <= max_depth:
        return
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in _OPEN:
            depth += 1
            if depth > max_depth:
                raise JsonError(f"JSON 嵌套过深：最多{max_depth}层")
        elif token in _CLOSE:
            depth -= 1


def _constant(name: str):
    raise JsonError(f"不是有效的 JSON（不接受 {name}）")


def loads(data: str | bytes, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    """Parse one JSON document within the bounds; raise JsonError with a Chinese message otherwise."""
    if len(data) > max_bytes:
        raise JsonError(f"内容过大：最多{_size(max_bytes)}")
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode(json.detect_encoding(data))
        except (UnicodeDecodeError, LookupError):
            raise JsonError("内容不是 UTF-8 编码的 JSON") from None
    check_depth(data, max_depth)
    try:
        return json.loads(data, parse_int=json_int, parse_float=json_float, parse_constant=_constant)
    except NumberError as exc:
        raise JsonError(exc.message) from None
    except json.JSONDecodeError as exc:
        raise JsonError(f"不是有效的 JSON（第{exc.colno}列：{exc.msg}）") from None
    except RecursionError:  # never expected after check_depth; named all the same
        raise JsonError(f"JSON 嵌套过深：最多{max_depth}层") from None


def unknown_fields(record: Mapping[str, Any], known: Iterable[str]) -> list[str]:
    """Return the record's field names that are not among `known`, sorted."""
    known = set(known)
    return sorted(str(key) for key in record if key not in known)


def unknown_message(names: Iterable[str]) -> str:
    """Return the one wording for unknown field names: 未知字段：a, b."""
    return f"未知字段：{', '.join(names)}"


def read_lines(path: Path | str, *, max_bytes: int = JSONL_MAX_BYTES) -> list[tuple[int, str]]:
    """Return (line number, text) of a JSONL file's non-blank lines; raise JsonError for a file that cannot be read
    (missing, too large, not UTF-8). Each line is parsed later with loads()."""
    path = Path(path)
    try:
        if path.stat().st_size > max_bytes:
            raise JsonError(f"文件超过{_size(max_bytes)}，请拆分后分批导入")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise JsonError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise JsonError("文件不是 UTF-8 编码的 JSONL") from exc
    return [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
