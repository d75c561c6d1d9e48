"""The bundled standards are the spec's bytes; load_standard stores them as versions (SD-ZHSQ-2019 v1 then v2,
SD-ZHCS-2019), idempotently; describe_standard reproduces the spec (v2 now, v1 still); rounds stay pinned."""

import hashlib
import json
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from audit.actors import system
from standards import scoring
from standards.models import Round, StandardVersion
from standards.rounds import round_open
from standards.versions import (
    BUNDLED,
    BUNDLED_DIR,
    BUNDLED_FILES,
    BUNDLED_V2,
    StandardError,
    describe,
    latest,
    load_bundled,
    load_file,
    parse,
    standard_save,
)

SOURCES = BUNDLED_DIR / "SOURCES.sha256"


def sources() -> list[tuple[str, str, str]]:
    """Return (sha256, bundled file, spec file) for each line of SOURCES.sha256."""
    rows = [line.split(maxsplit=3) for line in SOURCES.read_text(encoding="utf-8").splitlines()]
    return [(row[0], row[1], row[2]) for row in rows if row and not row[0].startswith("#")]


def spec_file(name: str) -> Path | None:
    """Return shared/spec/<name> when a checkout sits beside it (CI runs on a clean clone elsewhere)."""
    for parent in BUNDLED_DIR.parents:
        candidate = parent / "shared" / "spec" / name
        if candidate.exists():
            return candidate
    return None


def spec_data(name: str, bundled: Path) -> dict:
    """Read a spec file as describe_standard prints it (dates as ISO text); the bundled copy when it is not here."""
    source = spec_file(name) or bundled
    return json.loads(json.dumps(yaml.safe_load(source.read_text(encoding="utf-8")), default=str))


def described(*args: str) -> dict:
    out = StringIO()
    call_command("describe_standard", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_every_bundled_file_has_the_recorded_digest_of_its_spec_file():
    rows = sources()
    assert sorted(name for _, name, _ in rows) == sorted(p.name for p in BUNDLED_DIR.glob("*.yaml"))
    assert {BUNDLED_DIR / name for _, name, _ in rows} == set(BUNDLED_FILES)
    for digest, name, spec in rows:
        data = (BUNDLED_DIR / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, f"{name} is no longer the copy of {spec}"
        if (found := spec_file(spec)) is not None:
            assert found.read_bytes() == data, f"{name} differs from shared/spec/{spec}"


@pytest.mark.django_db
def test_a_fresh_database_gets_both_versions_and_the_scoring_standard():
    loaded = load_bundled(user=system("tests"))
    assert [(v.code, v.version, created) for v, created in loaded] == [
        ("SD-ZHSQ-2019", 1, True), ("SD-ZHSQ-2019", 2, True), ("SD-ZHCS-2019", 1, True)]
    assert [(v.code, v.version, created) for v, created in load_bundled(user=system("tests"))] == [
        ("SD-ZHSQ-2019", 1, False), ("SD-ZHSQ-2019", 2, False), ("SD-ZHCS-2019", 1, False)]
    assert StandardVersion.objects.count() == 3
    assert latest().version == 2 and latest().data["issuer"] == "数字山东建设专项小组办公室"
    assert latest().na_flags and not StandardVersion.objects.get(code="SD-ZHSQ-2019", version=1).na_flags


@pytest.mark.django_db
def test_a_database_that_had_version_1_gets_version_2():
    v1, _ = load_file(user=system("tests"))
    round_2026, _ = round_open("2026", user=system("tests"))
    out = StringIO()
    call_command("load_standard", stdout=out)
    assert "内容未变化，沿用：SD-ZHSQ-2019 第1版" in out.getvalue()
    assert "已创建新版本：SD-ZHSQ-2019 第2版" in out.getvalue()
    assert "已创建新版本：SD-ZHCS-2019 第1版" in out.getvalue()
    assert StandardVersion.objects.get(pk=v1.pk).checksum == v1.checksum
    assert Round.objects.get(code="2026").standard == v1
    assert round_open("2027", user=system("tests"))[0].standard == latest() != v1


@pytest.mark.django_db
def test_reloading_the_bundle_never_pushes_an_older_text_over_a_later_version():
    load_bundled(user=system("tests"))
    edited = parse(BUNDLED_V2.read_text(encoding="utf-8"))
    edited["title"] += "（修订）"
    v3, _ = standard_save(edited, note="管理员修订", user=system("tests"))
    load_bundled(user=system("tests"))
    assert latest() == v3 and StandardVersion.objects.filter(code="SD-ZHSQ-2019").count() == 3
    # One file given: a changed text against the newest version is a new version, as before.
    v4 = load_file(BUNDLED_V2, user=system("tests"))
    assert v4 == (StandardVersion.objects.get(code="SD-ZHSQ-2019", version=4), True)


@pytest.mark.django_db
def test_describe_standard_reproduces_v2_item_for_item_and_still_describes_v1():
    load_bundled(user=system("tests"))
    ours, spec = described(), spec_data("smart-community-standard.v2.yaml", BUNDLED_V2)
    assert ours["version"] == 2
    assert ours["code"] == spec["code"] == "SD-ZHSQ-2019"
    assert ours["issuer"] == spec["issuer"] == "数字山东建设专项小组办公室"
    assert ours["categories"] == spec["categories"] and ours["rollup"] == spec["rollup"]
    assert len(ours["items"]) == 25
    for mine, theirs in zip(ours["items"], spec["items"], strict=True):
        assert mine == theirs, f"item {theirs['number']} differs"
    first, v1_spec = described("--version", "1"), spec_data("smart-community-standard.yaml", BUNDLED)
    assert first["version"] == 1 and first["issuer"] == v1_spec["issuer"] == "山东省大数据局"
    assert {k: v for k, v in first.items() if k != "version"} == v1_spec


@pytest.mark.django_db
def test_describe_standard_describes_the_scoring_standard():
    load_bundled(user=system("tests"))
    ours = described("--code", "SD-ZHCS-2019")
    spec = spec_data("smart-city-scoring.yaml", scoring.BUNDLED)
    assert ours["version"] == 1
    assert {k: v for k, v in ours.items() if k != "version"} == spec


@pytest.mark.django_db
def test_load_standard_is_idempotent_and_a_change_makes_a_new_version():
    first, created = load_file(user=system("tests"))
    again, created_again = load_file(user=system("tests"))
    assert created and not created_again and again.pk == first.pk
    changed = parse(BUNDLED.read_text(encoding="utf-8"))
    changed["items"][7]["rules"][0]["percent"] = 65
    second, created = standard_save(changed, note="调整智能照明阈值", user=system("tests"))
    assert created and second.version == 2
    assert StandardVersion.objects.get(version=1).item(8)["rules"][0]["percent"] == 60
    assert second.item(8)["rules"][0]["percent"] == 65


@pytest.mark.django_db
def test_a_round_stays_pinned_to_its_version():
    v1, _ = load_file(user=system("tests"))
    round_2026, _ = round_open("2026", user=system("tests"))
    v2, _ = load_file(BUNDLED_V2, user=system("tests"))
    round_2027, _ = round_open("2027", user=system("tests"))
    assert Round.objects.get(code="2026").standard == v1
    assert round_2027.standard == v2
    assert describe(v2)["version"] == 2


@pytest.mark.django_db
def test_reopening_a_round_keeps_its_version():
    v1, _ = load_file(user=system("tests"))
    round_, _ = round_open("2026", user=system("tests"))
    round_.status = "closed"
    round_.save()
    load_bundled(user=system("tests"))
    reopened, created = round_open("2026", user=system("tests"))
    assert not created and reopened.is_open and reopened.standard == v1


@pytest.mark.django_db
def test_a_round_is_never_pinned_to_the_scoring_standard():
    load_file(scoring.BUNDLED, user=system("tests"))
    with pytest.raises(StandardError, match="尚未载入标准 SD-ZHSQ-2019"):
        round_open("2026", user=system("tests"))
    with pytest.raises(StandardError, match="不能绑定城市/区县评分标准"):
        round_open("2026", standard_code="SD-ZHCS-2019", user=system("tests"))
    load_bundled(user=system("tests"))
    assert round_open("2026", user=system("tests"))[0].standard == latest()
    assert list(StandardVersion.objects.community().values_list("code", "version")) == [
        ("SD-ZHSQ-2019", 2), ("SD-ZHSQ-2019", 1)]


@pytest.mark.django_db
def test_a_standard_keeps_its_kind_across_versions():
    load_bundled(user=system("tests"))
    community = parse(BUNDLED_V2.read_text(encoding="utf-8"))
    with pytest.raises(StandardError, match="SD-ZHCS-2019 是城市/区县评分标准，不能以智慧社区标准的内容"):
        standard_save({**community, "code": "SD-ZHCS-2019"}, user=system("tests"))
    assert StandardVersion.objects.count() == 3


@pytest.mark.django_db
def test_commands_report_errors_and_success(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match="载入失败"):
        call_command("load_standard", str(bad))
    with pytest.raises(CommandError, match="load_standard"):
        call_command("open_round", "2026")
    with pytest.raises(CommandError, match="找不到标准"):
        call_command("describe_standard", "--format", "json")
    out = StringIO()
    call_command("load_standard", str(BUNDLED), stdout=out)
    assert "已创建新版本：SD-ZHSQ-2019 第1版" in out.getvalue()
    call_command("load_standard", stdout=out)
    call_command("open_round", "2026", "--name", "2026年度", stdout=out)
    assert "第2版" in out.getvalue() and Round.objects.get(code="2026").name == "2026年度"
    assert Round.objects.get(code="2026").standard.version == 2
    with pytest.raises(CommandError, match="找不到标准 SD-ZHSQ-2019 第9版"):
        call_command("describe_standard", "--version", "9", "--format", "json")
