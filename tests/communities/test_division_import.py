"""import_divisions on a real extract of the 2023 table (济宁市): kinds, parents and links, every file shape it
circulates in, re-import, dry runs that count what a run does, and one log entry per import."""

import csv
import io
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from wagtail.models import Page, PageLogEntry

from communities.division_import import import_divisions
from communities.models import (
    CityPage,
    CommunityKind,
    CommunityPage,
    DivisionKind,
    ProvincePage,
    StreetKind,
    StreetPage,
    UnitKind,
    UnitPage,
)
from tests.communities.divisions_data import (
    COUNTS,
    DATA,
    NAMES,
    SYSTEM,
    csv_bytes,
    one_table,
    raw_files,
    tables,
    xlsx_bytes,
)
from tests.factories import BureauFactory, CityFactory

FIRST = "共236行；新增 市1 区县4 街道/乡镇9 社区221；更新 市0 区县0 街道/乡镇0 社区0；撤销 市0 区县0 街道/乡镇0 社区0"
SAME = "共236行；新增 市0 区县0 街道/乡镇0 社区0；更新 市0 区县0 街道/乡镇0 社区0；撤销 市0 区县0 街道/乡镇0 社区0"


def imported(files=None, **options):
    report = import_divisions(raw_files() if files is None else files, actor=SYSTEM, **options)
    assert report.ok, report.errors
    return report


def assert_extract_imported():
    assert (CityPage.objects.count(), UnitPage.objects.count(), StreetPage.objects.count(),
            CommunityPage.objects.count()) == tuple(COUNTS.values())
    assert ProvincePage.objects.get().title == "山东省" and CityPage.objects.get().code == "370800"
    units = {u.code: (u.kind, u.division_kind, u.kind_confirmed) for u in UnitPage.objects.all()}
    assert units == {
        "370811": (UnitKind.MAIN_URBAN_DISTRICT, DivisionKind.DISTRICT, False),
        "370826": (UnitKind.COUNTY, DivisionKind.COUNTY, True),
        "370871": (UnitKind.MAIN_URBAN_DISTRICT, DivisionKind.COUNTY_LIKE, False),
        "370881": (UnitKind.COUNTY_CITY, DivisionKind.COUNTY_CITY, True),
    }
    streets = dict(StreetPage.objects.values_list("code", "kind"))
    assert (streets["370811002"], streets["370811109"], streets["370826206"], streets["370811401"]) == (
        StreetKind.SUBDISTRICT, StreetKind.TOWN, StreetKind.TOWNSHIP, StreetKind.TOWNSHIP_LIKE)
    assert Counter(CommunityPage.objects.values_list("kind", flat=True)) == {
        CommunityKind.VILLAGERS: 162, CommunityKind.RESIDENTS: 36, CommunityKind.RESIDENTS_LIKE: 20,
        CommunityKind.VILLAGERS_LIKE: 3}
    village = CommunityPage.objects.select_related("street", "unit", "city").get(code="370881001002")
    assert village.title == "西关民族社区居民委员会" and village.get_parent().specific == village.street
    assert (village.street.code, village.unit.code, village.city.code) == ("370881001", "370881", "370800")
    links = CommunityPage.objects.values_list("code", "street__code", "unit__code", "city__code")
    assert all(code.startswith(street) and street.startswith(unit) for code, street, unit, _ in links)
    assert_tree_valid()


def assert_tree_valid():
    assert Page.find_problems() == ([], [], [], [], [])
    for page in Page.objects.filter(depth__gt=2).select_related(None):
        assert page.url_path == page.get_parent().url_path + page.slug + "/", page.pk


@pytest.mark.django_db
def test_the_five_published_files_import_as_they_are():
    report = imported()
    assert report.summary() == FIRST
    assert_extract_imported()


@pytest.mark.django_db
@pytest.mark.parametrize("pad", [False, True])
def test_one_file_with_every_level_in_gbk_and_padded_codes(pad):
    content = csv_bytes(one_table(pad=pad), "gbk")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    assert imported([("全部.csv", content)]).summary() == FIRST
    assert_extract_imported()


@pytest.mark.django_db
def test_xlsx_with_one_sheet_per_level_and_codes_typed_as_numbers():
    workbook = xlsx_bytes({name: rows for name, rows in tables().items()})
    assert imported([("区划.xlsx", workbook)]).summary() == FIRST
    assert_extract_imported()


@pytest.mark.django_db
def test_gzipped_files_as_shared():
    import gzip

    assert imported([(f"{n}.csv.gz", gzip.compress(c)) for n, c in raw_files()]).summary() == FIRST


@pytest.mark.django_db
def test_reimport_changes_nothing_and_says_so():
    imported()
    before = list(Page.objects.order_by("pk").values_list("pk", "path", "title", "url_path"))
    report = imported()
    assert report.summary() == SAME and report.entries == []
    assert list(Page.objects.order_by("pk").values_list("pk", "path", "title", "url_path")) == before


@pytest.mark.django_db
def test_dry_run_counts_what_a_run_does_and_writes_nothing():
    dry = imported(dry_run=True)
    assert dry.summary() == FIRST + "（试运行，未写入）"
    assert not CityPage.objects.exists() and not ProvincePage.objects.exists()
    assert imported().summary() == FIRST


@pytest.mark.django_db
def test_urban_rural_classification_column():
    # The statistics bureau's own layout (统计用区划代码, 城乡分类代码, 名称); class codes illustrative (SOURCE.md).
    rows = [["统计用区划代码", "城乡分类代码", "名称"],
            ["370000000000", "", "山东省"], ["370800000000", "", "济宁市"], ["370881000000", "", "曲阜市"],
            ["370881001000", "", "鲁城街道"], ["370881001002", "111", "西关民族社区居民委员会"],
            ["370881001201", "220", "周公庙村村民委员会"]]
    imported([("2023.csv", csv_bytes(rows))])
    assert dict(CommunityPage.objects.values_list("code", "urban_rural_code")) == {
        "370881001002": "111", "370881001201": "220"}
    rows[5][1] = "112"
    report = imported([("2023.csv", csv_bytes(rows))])
    assert report.updated["community"] == 1 and "城乡分类代码：111 → 112" in report.entries[0].detail


@pytest.mark.django_db
def test_one_log_entry_per_import_on_the_province_and_no_page_entries():
    imported()
    entries = PageLogEntry.objects.all()
    assert [e.action for e in entries] == ["communities.divisions_imported"]
    entry = entries.get()
    assert entry.page.specific == ProvincePage.objects.get() and entry.data["actor"] == "system:tests"
    assert entry.data["created"] == COUNTS and entry.data["files"] == [f"{n}.csv" for n in NAMES]
    imported()
    assert PageLogEntry.objects.count() == 2


@pytest.mark.django_db
def test_only_administrators_import():
    city = CityFactory()
    with pytest.raises(PermissionDenied):
        import_divisions(raw_files(), actor=BureauFactory(regions=[city]))
    assert not UnitPage.objects.exists()


@pytest.mark.django_db
def test_search_index_gets_the_pages_once_the_import_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        imported()
    assert callbacks
    found = CommunityPage.objects.live().search("西关民族社区居民委员会")
    assert [c.code for c in found][:1] == ["370881001002"]


@pytest.mark.django_db
def test_command_prints_the_summary_and_writes_the_report(tmp_path):
    paths = []
    for name, content in raw_files():
        (tmp_path / name).write_bytes(content)
        paths.append(str(tmp_path / name))
    out, report = io.StringIO(), tmp_path / "changes.csv"
    call_command("import_divisions", *paths, "--dry-run", "--report", str(report), stdout=out)
    assert out.getvalue().strip() == FIRST + "（试运行，未写入）" and not UnitPage.objects.exists()
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 236 and Counter(r["change"] for r in rows) == {"新增": 236}
    assert rows[-1]["code"] == "370881101244" and rows[-1]["level"] == "社区" and rows[-1]["new_parent"] == "370881101"
    call_command("import_divisions", *paths, stdout=out)
    assert CommunityPage.objects.count() == 221


@pytest.mark.django_db
def test_command_names_an_unreadable_file(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_divisions", str(tmp_path / "missing.csv"))


def test_extract_is_the_documented_one():
    import hashlib

    source = (DATA / "SOURCE.md").read_text(encoding="utf-8")
    for name in NAMES:
        digest = hashlib.sha256((DATA / f"{name}.csv").read_bytes()).hexdigest()
        assert f"{digest}  {name}.csv" in source
    assert sum(len(rows) - 1 for rows in tables().values()) == 236
