import csv
import io
import tracemalloc
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from audit.actors import system
from communities.models import CityPage, CommunityPage, StreetPage, UnitPage
from communities.register import COLUMNS, RegisterFileError, import_register

ROWS = [
    ["370100", "济南市", "370102", "历下区", "main_urban_district", "370102001", "解放路街道", "subdistrict",
     "370102001001", "和平社区", "1200"],
    ["370100", "济南市", "370102", "历下区", "main_urban_district", "370102001", "解放路街道", "subdistrict",
     "370102001002", "幸福社区", ""],
    ["370100", "济南市", "370124", "平阴县", "county", "370124101", "东阿镇", "town",
     "370124101001", "东阿村", "300"],
]

SYSTEM = system("tests")


def csv_bytes(rows, encoding="utf-8", header=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        # Excel users type codes as numbers; the import must still read them as codes.
        sheet.append([int(v) if v.isdigit() and len(v) >= 6 else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def assert_imported():
    c = CommunityPage.objects.get(code="370102001001")
    assert c.title == "和平社区" and c.households == 1200
    assert c.street.code == "370102001" and c.unit.code == "370102" and c.city.code == "370100"
    assert c.get_parent().specific == c.street and c.in_scope
    town_village = CommunityPage.objects.get(code="370124101001")
    assert not town_village.in_scope and town_village.unit.kind == "county"
    assert CommunityPage.objects.get(code="370102001002").households is None


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_excel_saves(encoding):
    report = import_register(csv_bytes(ROWS, encoding), "register.csv", actor=SYSTEM)
    assert report.ok, report.errors
    assert report.created == {"city": 1, "unit": 2, "street": 2, "community": 3}
    assert_imported()


@pytest.mark.django_db
def test_gbk_file_really_is_not_utf8():
    content = csv_bytes(ROWS, "gbk")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    assert import_register(content, "register.csv", actor=SYSTEM).ok


@pytest.mark.django_db
def test_xlsx_with_numeric_codes():
    report = import_register(xlsx_bytes(ROWS), "register.xlsx", actor=SYSTEM)
    assert report.ok, report.errors
    assert_imported()


@pytest.mark.django_db
def test_several_bad_rows_import_nothing_and_name_every_row():
    rows = [
        ROWS[0],
        ["370100", "济南市", "37010", "历下区", "main_urban_district", "370102001", "解放路街道", "subdistrict",
         "370102001003", "坏代码", ""],                          # row 3: unit code 5 digits
        ["370100", "济南市", "370102", "历下区", "downtown", "370102001", "解放路街道", "subdistrict",
         "370102001004", "坏类型", ""],                          # row 4: unknown unit kind
        ["370100", "济南市", "370102", "历下区", "main_urban_district", "370102001", "解放路街道", "subdistrict",
         "370102002005", "错街道", ""],                          # row 5: community not under its street
        ["370100", "济南市", "370102", "历下区", "main_urban_district", "370102001", "解放路街道", "subdistrict",
         "370102001001", "重复", ""],                            # row 6: duplicate of row 2
        ["370100", "济南市", "370102", "历下区", "main_urban_district", "370102001", "解放路街道", "village",
         "370102001007", "坏街道类型", "-3"],                    # row 7: street kind + households
    ]
    report = import_register(csv_bytes(rows), "register.csv", actor=SYSTEM)
    assert not report.ok
    by_row = {}
    for error in report.errors:
        by_row.setdefault(error.row, []).append(error.message)
    assert sorted(by_row) == [3, 4, 5, 6, 7]
    assert "unit_code 必须是6位数字" in by_row[3][0]
    assert "unit_kind 未知" in by_row[4][0]
    assert "不以街道/乡镇代码 370102001 开头" in by_row[5][0]
    assert "与第2行重复" in by_row[6][0]
    assert any("street_kind 未知" in m for m in by_row[7]) and any("households" in m for m in by_row[7])
    assert not CommunityPage.objects.exists() and not CityPage.objects.exists()


@pytest.mark.django_db
def test_missing_columns_are_refused():
    header = [c for c in COLUMNS if c != "street_kind"]
    with pytest.raises(RegisterFileError, match="缺少列：street_kind"):
        import_register(csv_bytes([r[:7] + r[8:] for r in ROWS], header=header), "register.csv", actor=SYSTEM)


@pytest.mark.django_db
def test_inconsistent_parent_descriptions_are_refused():
    rows = [ROWS[0], ROWS[1][:5] + ["370102001", "另一个名字", "subdistrict", "370102001002", "幸福社区", ""]]
    report = import_register(csv_bytes(rows), "register.csv", actor=SYSTEM)
    assert [e.row for e in report.errors] == [3]
    assert "与第2行不一致" in report.errors[0].message


@pytest.mark.django_db
def test_reimport_updates_by_code_and_never_deletes():
    import_register(csv_bytes(ROWS), "register.csv", actor=SYSTEM)
    renamed = [ROWS[0][:9] + ["和平社区（新）", "1300"]]
    report = import_register(csv_bytes(renamed), "register.csv", actor=SYSTEM)
    assert report.ok and report.updated["community"] == 1 and report.created["community"] == 0
    assert CommunityPage.objects.get(code="370102001001").title == "和平社区（新）"
    assert CommunityPage.objects.get(code="370102001001").households == 1300
    assert CommunityPage.objects.count() == 3


@pytest.mark.django_db
def test_reimport_moves_a_community_to_its_new_street():
    import_register(csv_bytes(ROWS), "register.csv", actor=SYSTEM)
    moved = ROWS[1][:5] + ["370102002", "新街道", "subdistrict", "370102002002", "幸福社区", ""]
    original = ROWS[1][:5] + ["370102002", "新街道", "subdistrict", "370102001002", "幸福社区", ""]
    # The code prefix rule still applies, so a community cannot be moved under a street that does not prefix it.
    assert not import_register(csv_bytes([original]), "register.csv", actor=SYSTEM).ok
    assert import_register(csv_bytes([moved]), "register.csv", actor=SYSTEM).ok
    assert StreetPage.objects.get(code="370102002").communities.count() == 1


@pytest.mark.django_db
def test_dry_run_validates_only():
    report = import_register(csv_bytes(ROWS), "register.csv", actor=SYSTEM, dry_run=True)
    assert report.ok and report.dry_run and not UnitPage.objects.exists()


@pytest.mark.django_db
def test_import_command(tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(csv_bytes(ROWS, "gbk"))
    bad.write_bytes(csv_bytes([ROWS[0][:8] + ["1234", "x", ""]]))
    with pytest.raises(CommandError, match="第2行"):
        call_command("import_communities", str(bad))
    out = StringIO()
    call_command("import_communities", str(good), "--dry-run", stdout=out)
    assert "试运行" in out.getvalue() and not CommunityPage.objects.exists()
    call_command("import_communities", str(good), stdout=out)
    assert CommunityPage.objects.count() == 3


@pytest.mark.django_db
def test_dry_run_counts_what_the_run_does():
    dry = import_register(csv_bytes(ROWS), "register.csv", actor=SYSTEM, dry_run=True)
    assert dry.created == {"city": 1, "unit": 2, "street": 2, "community": 3} and not CityPage.objects.exists()
    real = import_register(csv_bytes(ROWS), "register.csv", actor=SYSTEM)
    assert real.summary() + "（试运行，未写入）" == dry.summary()


@pytest.mark.django_db
def test_a_kind_its_city_confirmed_is_not_changed_by_the_register():
    import_register(csv_bytes(ROWS), "register.csv", actor=SYSTEM)
    UnitPage.objects.filter(code="370102").update(division_kind="district", kind="independent_district")
    report = import_register(csv_bytes(ROWS), "register.csv", actor=SYSTEM)
    assert [str(e) for e in report.errors] == [
        "第2行：区县 370102 的类型已由设区市确认为“独立性较强的建制区”，名册不能更改"]
    assert UnitPage.objects.get(code="370102").kind == "independent_district"


@pytest.mark.django_db
def test_one_log_entry_per_import_and_a_valid_tree():
    from wagtail.models import Page, PageLogEntry

    import_register(csv_bytes(ROWS), "register.csv", actor=SYSTEM)
    assert list(PageLogEntry.objects.values_list("action", flat=True)) == ["communities.register_imported"]
    assert Page.find_problems() == ([], [], [], [], [])
    community = CommunityPage.objects.get(code="370102001001")
    assert community.slug == "370102001001" and community.url_path.endswith("/370102001/370102001001/")


# --- read through the bounded spreadsheet intake ------------------------------------------------------------------

@pytest.mark.django_db
def test_a_register_declaring_the_whole_sheet_is_read_cell_by_cell():
    from tests.intake.xlsx_factory import dimension_bomb

    bomb = dimension_bomb(xlsx_bytes(ROWS), last="A600")  # says A1:XFD1048576; one stray cell in row 600
    tracemalloc.start()
    report = import_register(bomb, "register.xlsx", actor=SYSTEM)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert {e.row for e in report.errors} == {600}  # the stray cell's row lacks its columns: named, nothing kept
    assert not CommunityPage.objects.filter(code="370102001001").exists()
    assert peak < 32 * 1024 * 1024  # padded to 16,384 columns, 600 rows took over 75 MB


@pytest.mark.django_db
def test_a_register_with_a_doctype_is_refused_by_name_in_the_admin(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from intake.spreadsheets import DOCTYPE
    from tests.intake.xlsx_factory import with_doctype

    with pytest.raises(RegisterFileError, match="DOCTYPE"):
        import_register(with_doctype(xlsx_bytes(ROWS)), "register.xlsx", actor=SYSTEM)
    upload = SimpleUploadedFile("register.xlsx", with_doctype(xlsx_bytes(ROWS)))
    response = admin_client.post("/admin/register/import/", {"file": upload})
    assert response.status_code == 200 and DOCTYPE in response.content.decode()
    assert not CommunityPage.objects.filter(code__startswith="3701").exists()
