"""Annual changes (区划调整) through import_divisions: retirements, restorations, renames and moves, on the 济宁市
extract; every unit keeps its page, so its answers, evidence and trail stay with it."""

import pytest
from django.core.management import call_command
from wagtail.models import PageLogEntry

from checklists import audit
from checklists.models import ChecklistLogEntry, Evidence, ItemResult
from communities.division_import import import_divisions
from communities.models import CommunityPage, StreetPage, UnitKind, UnitPage
from communities.register_plan import Change
from tests.communities.divisions_data import (
    SYSTEM,
    as_files,
    csv_bytes,
    raw_files,
    recoded,
    renamed,
    tables,
    without,
)
from tests.communities.test_division_import import assert_tree_valid
from tests.factories import AdminFactory, EvidenceFactory, ItemResultFactory

VILLAGE = "370811002003"  # 颂运水庭社区居民委员会, under 370811002 (任城区)
TOWN = "370881101"  # a 镇 of 曲阜市 with 20 villages


def run(data, **options):
    report = import_divisions(as_files(data), actor=SYSTEM, **options)
    assert report.ok, report.errors
    return report


def changes(report) -> set[tuple]:
    return {(e.code, str(e.change)) for e in report.entries}


@pytest.fixture
def table(db):
    run(tables())
    return tables()


@pytest.fixture
def history(table, round_):
    """An answer with a photo and its trail on the village, to check nothing is lost."""
    community = CommunityPage.objects.get(code=VILLAGE)
    result = ItemResultFactory(round=round_, community=community)
    EvidenceFactory(result=result)
    audit.record(result, "saved", user=AdminFactory())
    return community


def assert_history_kept(community):
    result = ItemResult.objects.get(community=community)
    assert Evidence.objects.filter(result=result).count() == 1
    assert ChecklistLogEntry.objects.filter(object_id=str(result.pk)).count() == 1


def test_missing_units_are_retired_never_deleted_and_keep_their_history(history, table):
    shorter = without(table, VILLAGE, "370826206", *[r[0] for r in table["villages"] if r[0].startswith("370826206")])
    report = run(shorter, retire_missing=True)
    assert report.retired == {"city": 0, "unit": 0, "street": 1, "community": 1 + 16}
    assert report.summary().endswith("撤销 市0 区县0 街道/乡镇1 社区17")
    retired = CommunityPage.objects.get(code=VILLAGE)
    assert retired.pk == history.pk and retired.retired_at is not None and retired.live
    assert StreetPage.objects.get(code="370826206").retired_at is not None
    assert CommunityPage.objects.count() == 221
    assert_history_kept(retired)
    # Without --retire-missing a shorter table changes nothing.
    assert run(shorter).changed == 0


def test_listed_again_they_are_restored(table):
    run(without(table, VILLAGE), retire_missing=True)
    report = run(table, retire_missing=True)
    assert changes(report) == {(VILLAGE, "恢复")} and report.updated["community"] == 1
    assert "（恢复1）" in report.summary()
    assert CommunityPage.objects.get(code=VILLAGE).retired_at is None


def test_renames_are_logged_and_reported(history, table):
    report = run(renamed(table, VILLAGE, "颂运水庭社区"))
    entry = report.entries[0]
    assert (entry.change, entry.old_name, entry.new_name) == (Change.RENAMED, "颂运水庭社区居民委员会", "颂运水庭社区")
    community = CommunityPage.objects.get(code=VILLAGE)
    assert community.title == community.draft_title == "颂运水庭社区" and community.pk == history.pk
    logged = PageLogEntry.objects.filter(action="communities.divisions_imported").latest("pk")
    assert logged.data["changes"] == [{"code": VILLAGE, "level": "community", "change": "改名",
                                       "old_name": "颂运水庭社区居民委员会", "new_name": "颂运水庭社区"}]
    assert_tree_valid()


def test_a_village_moved_to_another_street_is_recognised_by_name(history, table):
    # 颂运水庭社区 leaves 370811002 for 370811009 (same 任城区), under a new code.
    moved = recoded(table, VILLAGE, "370811009099")
    report = run(moved, retire_missing=True)
    assert changes(report) == {("370811009099", "迁移")} and report.retired["community"] == 0
    entry = report.entries[0]
    assert (entry.old_code, entry.old_parent, entry.new_parent) == (VILLAGE, "370811002", "370811009")
    community = CommunityPage.objects.select_related("street", "unit").get(pk=history.pk)
    assert community.code == "370811009099" and community.street.code == "370811009"
    assert community.get_parent().specific == community.street and community.slug == "370811009099"
    assert not CommunityPage.objects.filter(code=VILLAGE).exists()
    assert_history_kept(community)
    assert_tree_valid()


def test_without_retire_missing_a_new_code_is_a_new_unit(table):
    report = run(recoded(table, VILLAGE, "370811009099"))
    assert changes(report) == {("370811009099", "新增")}


def test_stated_moves_win_and_carry_a_town_with_its_villages_to_another_county(table):
    # 曲阜市's 镇 370881101 becomes 微山县's 370826110 (a new name too); its villages follow under new codes.
    moved = recoded(table, TOWN, "370826110", name="新镇")
    villages = [r[0] for r in table["villages"] if r[0].startswith(TOWN)]
    pages = dict(CommunityPage.objects.filter(code__in=villages).values_list("code", "pk"))
    report = import_divisions(as_files(moved), actor=SYSTEM, retire_missing=True,
                              moves=("moves.csv", csv_bytes([["old_code", "new_code"], [TOWN, "370826110"]])))
    assert report.ok, report.errors
    assert report.updated["street"] == 1 and report.updated["community"] == len(villages) == 20
    assert report.retired == {"city": 0, "unit": 0, "street": 0, "community": 0}
    assert report.kinds[Change.MOVED] == 21 and report.kinds[Change.RENAMED] == 1
    street = StreetPage.objects.get(code="370826110")
    assert street.title == "新镇" and street.unit.code == "370826" and street.get_parent().specific.code == "370826"
    for code, pk in pages.items():
        community = CommunityPage.objects.select_related("unit", "city").get(pk=pk)
        assert community.code == "370826110" + code[9:] and community.unit.code == "370826"
        assert community.street_id == street.pk
    assert_tree_valid()


def test_ambiguous_names_are_retired_and_new_with_a_note(table):
    twin = [r for r in table["villages"] if r[0] == VILLAGE][0]
    data = recoded(table, VILLAGE, "370811009098")
    data["villages"].append(["370811009099", twin[1], "370811009", "37", "3708", "370811"])
    report = run(data, retire_missing=True)
    assert changes(report) == {(VILLAGE, "撤销"), ("370811009098", "新增"), ("370811009099", "新增")}
    assert "无法确定迁移" in report.notes[0]


def test_a_kind_confirmed_by_its_city_stays(table):
    UnitPage.objects.filter(code="370811").update(kind=UnitKind.INDEPENDENT_DISTRICT, kind_confirmed=True)
    assert run(table).changed == 0
    unit = UnitPage.objects.get(code="370811")
    assert (unit.kind, unit.kind_confirmed) == (UnitKind.INDEPENDENT_DISTRICT, True)


def test_an_unconfirmed_district_stays_to_be_confirmed(table):
    assert run(table).changed == 0
    assert UnitPage.objects.get(code="370871").kind_confirmed is False


def test_dry_run_of_changes_counts_what_the_run_does(table, tmp_path):
    data = renamed(without(table, VILLAGE), "370826206", "高楼镇")
    dry = import_divisions(as_files(data), actor=SYSTEM, retire_missing=True, dry_run=True)
    assert CommunityPage.objects.get(code=VILLAGE).retired_at is None
    real = run(data, retire_missing=True)
    assert dry.summary() == real.summary() + "（试运行，未写入）"
    assert [(e.code, e.change) for e in dry.entries] == [(e.code, e.change) for e in real.entries]


def test_report_file_names_old_and_new_code_and_parent(table, tmp_path):
    paths = []
    for name, content in as_files(recoded(table, VILLAGE, "370811009099")):
        (tmp_path / name).write_bytes(content)
        paths.append(str(tmp_path / name))
    call_command("import_divisions", *paths, "--retire-missing", "--report", str(tmp_path / "r.csv"))
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines == [
        "code,name,level,change,old_code,old_parent,new_parent,old_name,new_name,detail",
        "370811009099,颂运水庭社区居民委员会,社区,迁移,370811002003,370811002,370811009,,,",
    ]


def test_raw_files_reimport_after_changes_restores_everything(table):
    run(recoded(table, VILLAGE, "370811009099"), retire_missing=True)
    report = import_divisions(raw_files(), actor=SYSTEM, retire_missing=True)
    assert report.ok and changes(report) == {(VILLAGE, "迁移")}
    assert_tree_valid()
