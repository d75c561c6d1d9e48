"""Coverage exports keep hostile names inert: CSV sheets, the XLSX, and the `coverage` command."""

import io

import pytest
from django.core.management import call_command

from communities.models import CityPage, CommunityPage, StreetPage, UnitPage
from coverage.exports import SHEETS, csv_text, write_xlsx
from coverage.rollup import report_for
from coverage.selectors import ALL
from standards.models import Round
from tests.coverage.coverage_factory import make_smart
from tests.site.formula_checks import DANGEROUS, assert_csv_inert, assert_xlsx_inert

CODES = ["379902001001", "379902001002", "379902001003", "379902001004", "379902001005", "379902002001"]
STREET, UNIT, CITY, ROUND_NAME = "=街道()", "+示范中心区", "-示范市", "@2026年度"
EXPECTED = {"cities": [CITY], "units": [UNIT, CITY], "communities": [*DANGEROUS, STREET, UNIT]}


@pytest.fixture
def hostile(round_, demo):
    """Community, street, unit, city and round names a bureau would open in Excel, each starting a formula."""
    for code, name in zip(CODES, DANGEROUS, strict=True):
        CommunityPage.objects.filter(code=code).update(title=name)
    StreetPage.objects.filter(code="379902001").update(title=STREET)
    UnitPage.objects.filter(code="379902").update(title=UNIT)
    CityPage.objects.filter(code="379900").update(title=CITY)
    Round.objects.filter(pk=round_.pk).update(name=ROUND_NAME)
    make_smart(round_, CODES[:1])
    return Round.objects.get(pk=round_.pk)


@pytest.mark.parametrize("sheet", SHEETS)
def test_csv_sheets(hostile, sheet):
    rows = assert_csv_inert(csv_text(report_for(hostile, ALL), sheet), EXPECTED[sheet])
    if sheet == "communities":
        smart = next(row for row in rows if row[0] == CODES[0])
        assert smart[1] == "'" + DANGEROUS[0] and smart[6:9] == ["25", "25", "100.0"]


def test_xlsx_has_no_formula_and_numbers_stay_numbers(hostile):
    out = io.BytesIO()
    write_xlsx(report_for(hostile, ALL), out)
    sheets = assert_xlsx_inert(out.getvalue(), [*DANGEROUS, STREET, UNIT, CITY, f"{ROUND_NAME}（2026）"])
    smart = next(row for row in sheets["社区"] if row[0].value == CODES[0])
    assert [(c.value, c.data_type) for c in smart[6:9]] == [(25, "n"), (25, "n"), (100.0, "n")]
    assert sheets["设区市"][1][2].data_type == "n"


def test_the_coverage_command(hostile, tmp_path):
    call_command("coverage", "--round", "2026", "--format", "xlsx", "--out", str(tmp_path / "c.xlsx"))
    assert_xlsx_inert(str(tmp_path / "c.xlsx"), [*DANGEROUS, STREET, UNIT, CITY])
    for sheet in SHEETS:
        out = tmp_path / f"{sheet}.csv"
        call_command("coverage", "--round", "2026", "--format", "csv", "--sheet", sheet, "--out", str(out))
        assert_csv_inert(out.read_bytes().decode("utf-8-sig"), EXPECTED[sheet])
    stdout = io.StringIO()
    call_command("coverage", "--round", "2026", "--format", "csv", "--sheet", "communities", stdout=stdout)
    assert_csv_inert(stdout.getvalue(), EXPECTED["communities"])
