"""Read a worker's answer to one item from the plain HTML form or the page's JSON, checking its shape only:
whether the figures meet the standard is the evaluation engine's business, and bad figures are still kept.

The JSON goes through intake.jsondata (size, depth and numbers bounded before it is parsed) and a field name the
item does not have is named, not dropped; a count or decimal longer than intake.numbers allows is refused unread."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake import jsondata, numbers

TEXT_MAX = 5000
WORD_MAX = 40  # characters of a yes/no answer sent as a word
CHOICES_MAX = 50
ENVELOPE = ("request_id", "base_revision", "round", "values", "not_applicable", "note")
TOO_LONG = gettext_lazy("内容过长")
BAD_FORMAT = gettext_lazy("格式有误")


def _no_field(item: dict, key: str) -> str:
    return _("第%(n)s项没有字段“%(key)s”") % {"n": item["number"], "key": key}


@dataclass
class Answer:
    values: dict
    not_applicable: dict
    note: str
    base_revision: int
    request_id: uuid.UUID
    round_code: str

    def differs_from(self, values: dict, not_applicable: dict, note: str) -> bool:
        """Whether saving this answer would change the stored one (the plain form re-posts unchanged items)."""
        mine = {k: v for k, v in self.values.items() if v not in (None, "", [])}
        return mine != values or self.not_applicable != (not_applicable or {}) or self.note != note


class EnvelopeForm(forms.Form):
    request_id = forms.UUIDField(
        error_messages={"required": gettext_lazy("缺少请求号"), "invalid": gettext_lazy("请求号格式有误")})
    base_revision = forms.IntegerField(
        min_value=0,
        error_messages={"required": gettext_lazy("缺少修订号"), "invalid": gettext_lazy("修订号格式有误"),
                        "min_value": gettext_lazy("修订号格式有误")},
    )
    round = forms.CharField(max_length=32, required=False)
    note = forms.CharField(max_length=TEXT_MAX, required=False, strip=False,
                           error_messages={"max_length": format_lazy(gettext_lazy("备注不能超过{n}字"), n=TEXT_MAX)})


def _check_value(field: dict, raw) -> tuple[object, str]:
    """Return (value, problem) for one field's raw entry."""
    kind = field["kind"]
    if raw is None:
        return None, ""
    if kind == "choices":
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or len(raw) > CHOICES_MAX or not all(isinstance(k, str) for k in raw):
            return None, str(BAD_FORMAT)
        return (raw or None), ""
    if isinstance(raw, bool) and kind == "bool":
        return raw, ""
    if kind in ("count", "decimal"):
        if isinstance(raw, bool) or not isinstance(raw, str | int | Decimal):
            return None, str(BAD_FORMAT)
        try:
            text = numbers.text_of(raw)  # a number too long to read is refused here, unread
        except numbers.NumberError as exc:
            return None, exc.message
        # Text is kept as typed (the engine names a bad figure); a JSON number becomes its exact text.
        return (raw if isinstance(raw, str) else text), ""
    if not isinstance(raw, str):
        return None, str(BAD_FORMAT)
    limit = TEXT_MAX if kind == "text" else WORD_MAX
    return (raw, "") if len(raw) <= limit else (None, str(TOO_LONG))


def _check_marks(item: dict, raw) -> tuple[dict, dict[str, list[str]]]:
    if raw in (None, ""):
        return {}, {}
    if not isinstance(raw, dict):
        return {}, {"not_applicable": [str(BAD_FORMAT)]}
    keys = {f["key"] for f in item["fields"]}
    marks, errors = {}, {}
    for key, options in raw.items():
        if key not in keys:
            errors[str(key)[:100]] = [_no_field(item, str(key)[:100])]
            continue
        ok = isinstance(options, dict) and all(
            isinstance(o, str) and isinstance(n, str) and len(n) <= TEXT_MAX for o, n in options.items()
        )
        if not ok:
            errors[key] = [str(BAD_FORMAT)]
        elif options:
            marks[key] = dict(options)
    return marks, errors


def _answer(item: dict, envelope: dict, raw_values: dict, raw_marks) -> tuple[Answer | None, dict[str, list[str]]]:
    form = EnvelopeForm(envelope)
    errors: dict[str, list[str]] = {} if form.is_valid() else {k: list(v) for k, v in form.errors.items()}
    values = {}
    for key in jsondata.unknown_fields(raw_values, (f["key"] for f in item["fields"])):
        errors[key[:100]] = [_no_field(item, key[:100])]
    for field in item["fields"]:
        value, problem = _check_value(field, raw_values.get(field["key"]))
        if problem:
            errors[field["key"]] = [f"{field['label']}：{problem}"]
        elif value is not None:
            values[field["key"]] = value
    marks, mark_errors = _check_marks(item, raw_marks)
    errors.update(mark_errors)
    if errors:
        return None, errors
    data = form.cleaned_data
    answer = Answer(values, marks, data["note"], data["base_revision"], data["request_id"], data["round"])
    return answer, {}


def answer_from_post(item: dict, post: QueryDict) -> tuple[Answer | None, dict[str, list[str]]]:
    """Read the plain form: `v.<field>` values, `na.<field>` options marked 本社区无此设施, `nn.<field>.<option>` notes.
    """
    values: dict = {}
    marks: dict = {}
    for field in item["fields"]:
        key = field["key"]
        if field["kind"] == "choices":
            values[key] = post.getlist(f"v.{key}") or None
            picked = post.getlist(f"na.{key}")
            if picked:
                marks[key] = {option: post.get(f"nn.{key}.{option}", "") for option in picked}
        else:
            values[key] = post.get(f"v.{key}") or None
    envelope = {k: post.get(k) for k in ("request_id", "base_revision", "round", "note") if k in post}
    return _answer(item, envelope, values, marks)


def answer_from_json(item: dict, body: bytes) -> tuple[Answer | None, dict[str, list[str]]]:
    """Read the page's JSON: {request_id, base_revision, round, values, not_applicable, note}; any other field is
    named as unknown."""
    try:
        # Decimals stay exact: a JSON number never becomes a float on the way to the engine.
        data = jsondata.loads(body or b"{}")
    except jsondata.JsonError as exc:
        return None, {"__all__": [_("请求内容不是有效的 JSON：%(why)s") % {"why": exc.message}]}
    if not isinstance(data, dict) or not isinstance(data.get("values", {}), dict):
        return None, {"__all__": [_("请求内容格式有误")]}
    if unknown := jsondata.unknown_fields(data, ENVELOPE):
        message = _("请求内容格式有误：%(why)s") % {"why": jsondata.unknown_message(k[:100] for k in unknown)}
        return None, {"__all__": [message]}
    envelope = {k: data[k] for k in ("request_id", "base_revision", "round", "note") if data.get(k) is not None}
    return _answer(item, envelope, data.get("values") or {}, data.get("not_applicable"))
