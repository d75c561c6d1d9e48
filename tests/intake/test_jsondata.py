"""The JSON intake: size, nesting depth and numbers bounded before json.loads reads anything, named in Chinese."""

from decimal import Decimal

import pytest

from intake import jsondata
from intake.jsondata import MAX_DEPTH, JsonError

TOO_DEEP = f"JSON 嵌套过深：最多{MAX_DEPTH}层"


def test_fifty_thousand_brackets_are_refused_by_name_not_by_recursion():
    body = '{"values":' + "[" * 50_000
    with pytest.raises(JsonError) as refused:
        jsondata.loads(body)
    assert refused.value.message == TOO_DEEP
    closed = "[" * 50_000 + "]" * 50_000  # well formed, so json.loads alone would raise RecursionError
    with pytest.raises(JsonError, match=TOO_DEEP):
        jsondata.loads(closed)


def test_depth_counts_brackets_outside_strings_only():
    deep_text = {"note": "[" * 5000 + "{" * 5000 + '\\"]' * 10}
    assert jsondata.loads('{"note": "' + "[" * 5000 + "{" * 5000 + '\\"]' * 10 + '"}') == {
        "note": deep_text["note"].replace('\\"', '"')}
    nested = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert jsondata.loads(nested) == eval(nested)  # noqa: S307 - a literal of brackets
    with pytest.raises(JsonError, match=TOO_DEEP):
        jsondata.loads("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))


def test_an_unterminated_string_runs_to_the_end_and_hides_its_brackets():
    # Every quote escaped: the string never ends, so its brackets are not counted (and the scan never backtracks).
    with pytest.raises(JsonError, match="不是有效的 JSON"):
        jsondata.loads('["' + '\\"' * 200_000 + "[" * 20)


@pytest.mark.parametrize("body, message", [
    ('{"n": ' + "9" * 5000 + "}", "数值过长：最多30位数字"),
    ('{"n": 1e200000}', "数值过长：最多30位数字"),
    ('{"n": NaN}', "不接受 NaN"),
    ('{"n": -Infinity}', "不接受 -Infinity"),
    ("{not json", "不是有效的 JSON（第2列"),
    (b"\xff\xfe\xfd", "不是"),
])
def test_bad_documents_are_named(body, message):
    with pytest.raises(JsonError, match=message):
        jsondata.loads(body)


def test_size_is_checked_first():
    with pytest.raises(JsonError, match="内容过大：最多1 KB"):
        jsondata.loads("[" + "0," * 1000 + "0]", max_bytes=1024)


def test_numbers_come_back_exact():
    assert jsondata.loads(b'{"a": 88.50, "b": 12, "c": "x"}') == {"a": Decimal("88.50"), "b": 12, "c": "x"}


def test_unknown_fields_are_named():
    assert jsondata.unknown_fields({"values": 1, "colour": 2, "size": 3}, ("values",)) == ["colour", "size"]
    assert jsondata.unknown_message(["colour", "size"]) == "未知字段：colour, size"


def test_jsonl_files_are_bounded_and_read_by_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"a": 1}\n\n{"b": 2}\n', encoding="utf-8")
    assert jsondata.read_lines(path) == [(1, '{"a": 1}'), (3, '{"b": 2}')]
    with pytest.raises(JsonError, match="文件超过1 KB，请拆分后分批导入"):
        jsondata.read_lines(path, max_bytes=10)
    with pytest.raises(JsonError, match="无法读取文件"):
        jsondata.read_lines(tmp_path / "missing.jsonl")
    path.write_bytes("公安局".encode("gbk"))
    with pytest.raises(JsonError, match="不是 UTF-8 编码的 JSONL"):
        jsondata.read_lines(path)
