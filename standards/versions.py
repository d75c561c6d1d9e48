"""The standard as versioned data: read, validate, store a new version when it changed, describe."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml
from django.db import transaction
from wagtail.log_actions import log

from communities import policy
from communities.policy import EVERYWHERE, Action

from . import scoring
from .models import StandardVersion

BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"
BUNDLED = BUNDLED_DIR / "SD-ZHSQ-2019.yaml"
DEFAULT_CODE = "SD-ZHSQ-2019"
FIELD_KINDS = {"count", "decimal", "bool", "choices", "text"}
RULE_KINDS = {"ratio": ("numerator", "denominator"), "reduction": ("baseline", "actual"), "value": ("field",)}
OPS = {"ge", "gt", "le"}


class StandardError(ValueError):
    """The standard's text is not a valid standard; the message says where."""


def parse(text: str) -> dict:
    """Parse YAML (or JSON, a subset) into plain JSON-compatible data (dates become ISO strings)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise StandardError(f"标准文本无法解析：{exc}") from exc
    if not isinstance(data, dict):
        raise StandardError("标准文本必须是一个映射（code、items 等）")
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def _item_problems(item: dict) -> list[str]:
    where = f"第{item.get('number', '?')}项"
    fields = item.get("fields") or []
    keys = [f.get("key") for f in fields]
    problems = [f"{where}：字段 {k} 重复" for k in set(keys) if keys.count(k) > 1]
    for f in fields:
        if f.get("kind") not in FIELD_KINDS:
            problems.append(f"{where}：字段 {f.get('key')} 的类型 {f.get('kind')} 未知")
        if f.get("kind") == "choices" and not f.get("options"):
            problems.append(f"{where}：多选字段 {f.get('key')} 没有选项")
        if f.get("required_if") and f["required_if"] not in keys:
            problems.append(f"{where}：required_if 引用了不存在的字段 {f['required_if']}")
    for rule in item.get("rules") or []:
        refs = RULE_KINDS.get(rule.get("kind"))
        if refs is None:
            problems.append(f"{where}：规则 {rule.get('key')} 的类型 {rule.get('kind')} 未知")
            continue
        if rule.get("op") not in OPS:
            problems.append(f"{where}：规则 {rule.get('key')} 的比较方式 {rule.get('op')} 未知")
        problems += [
            f"{where}：规则 {rule.get('key')} 引用了不存在的字段 {rule.get(ref)}"
            for ref in refs
            if rule.get(ref) not in keys
        ]
        if not isinstance(rule.get("percent", rule.get("value")), int | float | str):
            problems.append(f"{where}：规则 {rule.get('key')} 缺少阈值")
    return problems


def validate(data: dict) -> None:
    """Raise StandardError listing every structural problem of the standard."""
    if "levels" in data:  # the city/county scoring standard (SD-ZHCS-2019 shape) has its own schema
        try:
            scoring.validate(data)
        except scoring.ScoringStandardError as exc:
            raise StandardError("；".join(exc.problems)) from exc
        return
    problems = [f"缺少 {k}" for k in ("code", "title", "categories", "items", "rollup") if k not in data]
    items = data.get("items") or []
    numbers = [item.get("number") for item in items]
    if len(set(numbers)) != len(numbers):
        problems.append("指标序号重复")
    for item in items:
        problems += _item_problems(item)
    listed = [n for c in data.get("categories") or [] for n in c.get("items", [])]
    if sorted(listed) != sorted(numbers):
        problems.append("分类中列出的指标与指标清单不一致")
    for level in ("city", "county"):
        if not (data.get("rollup") or {}).get(level, {}).get("tiers"):
            problems.append(f"rollup.{level}.tiers 缺失")
    if problems:
        raise StandardError("；".join(problems))


def checksum(data: dict) -> str:
    """Return a digest of the standard's content, independent of key order and formatting."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def latest(code: str = DEFAULT_CODE) -> StandardVersion | None:
    """Return the newest version of a standard."""
    return StandardVersion.objects.filter(code=code).order_by("-version").first()


VERSION_CREATED = "standards.version_created"
LOG_ACTIONS = {VERSION_CREATED: "新建标准版本"}


@transaction.atomic
def standard_save(data: dict, *, user=None, note: str = "") -> tuple[StandardVersion, bool]:
    """Store `data` as a new version unless it equals the newest one; return (version, created).

    `user` is None for an operator's command (load_standard), who is trusted by having the shell.
    """
    if user is not None:
        policy.require(user, Action.EDIT_STANDARD, EVERYWHERE)
    validate(data)
    digest = checksum(data)
    current = StandardVersion.objects.select_for_update().filter(code=data["code"]).order_by("-version").first()
    if current and current.checksum == digest:
        return current, False
    version = StandardVersion.objects.create(
        code=data["code"], version=(current.version + 1) if current else 1, title=data["title"],
        data=data, checksum=digest, note=note, created_by=user,
    )
    log(version, VERSION_CREATED, user=user, data={"code": version.code, "version": version.version, "note": note})
    return version, True


def load_file(path: Path | str = BUNDLED, *, user=None) -> tuple[StandardVersion, bool]:
    """Load a standard file (the bundled SD-ZHSQ-2019 by default)."""
    return standard_save(parse(Path(path).read_text(encoding="utf-8")), user=user, note=f"载入 {Path(path).name}")


def describe(version: StandardVersion) -> dict:
    """Return the standard in the structure of smart-community-standard.yaml, with its version number."""
    return {**version.data, "version": version.version}
