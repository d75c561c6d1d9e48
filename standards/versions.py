"""The standard as versioned data: read, validate, store a new version when it changed, describe."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actors import log, log_user
from communities import policy
from communities.policy import EVERYWHERE

from . import community_schema, coverage_tiers, scoring
from .actions import StandardAction
from .models import StandardKind, StandardVersion, kind_of

BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"
BUNDLED = BUNDLED_DIR / "SD-ZHSQ-2019.yaml"  # the community standard's first transcription
BUNDLED_V2 = BUNDLED_DIR / "SD-ZHSQ-2019.v2.yaml"
# What `load_standard` loads without a file, in this order: the community standard's versions, then scoring.
BUNDLED_FILES = (BUNDLED, BUNDLED_V2, scoring.BUNDLED)
DEFAULT_CODE = "SD-ZHSQ-2019"


class StandardError(ValueError):
    """The standard's text is not a valid standard; the message says where."""


def parse(text: str) -> dict:
    """Parse YAML (or JSON, a subset) into plain JSON-compatible data (dates become ISO strings)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise StandardError(_("标准文本无法解析：%(error)s") % {"error": exc}) from exc
    if not isinstance(data, dict):
        raise StandardError(_("标准文本必须是一个映射（code、items 等）"))
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def validate(data: dict) -> None:
    """Raise StandardError listing every structural problem of the standard, of whichever kind it is."""
    if kind_of(data) == StandardKind.SCORING:
        try:
            scoring.validate(data)
        except scoring.ScoringStandardError as exc:
            problems = _("；").join(exc.problems)
            raise StandardError(_("评分标准有以下问题：%(problems)s") % {"problems": problems}) from exc
        return
    if problems := community_schema.problems_of(data):
        raise StandardError("；".join(problems))


def checksum(data: dict) -> str:
    """Return a digest of the standard's content, independent of key order and formatting."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def latest(code: str = DEFAULT_CODE) -> StandardVersion | None:
    """Return the newest version of a standard (by default the community standard rounds are pinned to)."""
    return StandardVersion.objects.filter(code=code).order_by("-version").first()


VERSION_CREATED = "standards.version_created"
LOG_ACTIONS = {VERSION_CREATED: gettext_lazy("新建标准版本")}


@transaction.atomic
def standard_save(
    data: dict, *, user, note: str = "", once: bool = False
) -> tuple[StandardVersion, bool]:
    """Store `data` as a new version unless it equals the newest one; return (version, created).

    With `once`, a text equal to any stored version of the standard (not only the newest) is that version: the
    bundled files are a history loaded in order, and loading them again must neither repeat an older text as a
    new version nor push it over a later one. `user` is who saves: an administrator, or the system actor of an
    operator's command (load_standard).
    """
    policy.require(user, StandardAction.EDIT_STANDARD, EVERYWHERE)
    validate(data)
    require_same_coverage_tiers(data)
    digest = checksum(data)
    versions = StandardVersion.objects.select_for_update().filter(code=data["code"]).order_by("-version")
    current = versions.first()
    if current and current.checksum == digest:
        return current, False
    if once and (stored := versions.filter(checksum=digest).first()):
        return stored, False
    if current and current.kind != kind_of(data):
        raise StandardError(_("%(code)s 是%(kind)s，不能以%(other)s的内容保存为它的新版本")
                            % {"code": data["code"], "kind": current.kind.label, "other": kind_of(data).label})
    version = StandardVersion.objects.create(
        code=data["code"], version=(current.version + 1) if current else 1, title=data["title"],
        data=data, checksum=digest, note=note, created_by=log_user(user),
    )
    log(version, VERSION_CREATED, actor=user, data={"code": version.code, "version": version.version, "note": note})
    return version, True


def require_same_coverage_tiers(data: dict) -> None:
    """Refuse a scoring standard whose 智慧社区覆盖率 tiers differ from the newest community standard's `rollup`,
    which decides them (standards.coverage_tiers); the message names both."""
    community = latest(DEFAULT_CODE)
    if kind_of(data) != StandardKind.SCORING or community is None:
        return
    if found := coverage_tiers.disagreements(community.data, data):
        raise StandardError(_(
            "%(code)s 的智慧社区覆盖率分档与 %(community)s 第%(version)d版（社区标准 rollup，覆盖率分档以它为准）"
            "不一致：%(found)s。请使两者一致后再保存。") % {
            "code": data["code"], "community": community.code, "version": community.version, "found": "；".join(found)})


def load_file(path: Path | str = BUNDLED, *, user, once: bool = False) -> tuple[StandardVersion, bool]:
    """Load a standard file (the bundled SD-ZHSQ-2019 version 1 by default)."""
    data = parse(Path(path).read_text(encoding="utf-8"))
    return standard_save(data, user=user, note=f"载入 {Path(path).name}", once=once)


def load_bundled(*, user) -> list[tuple[StandardVersion, bool]]:
    """Load every bundled standard in order (SD-ZHSQ-2019 version 1 then its corrections, then SD-ZHCS-2019).

    A fresh database gets versions 1 and 2 of the community standard; one that had version 1 gets version 2;
    loading again changes nothing.
    """
    return [load_file(path, user=user, once=True) for path in BUNDLED_FILES]


def describe(version: StandardVersion) -> dict:
    """Return the standard in the structure of its transcription (the spec YAML), with its version number."""
    return {**version.data, "version": version.version}
