"""The review queue's CSV/XLSX export and Wagtail's own site-history export keep hostile text inert."""

import pytest
from django.contrib.auth import get_user_model

from checklists import decisions, services
from checklists.evidence import evidence_add
from checklists.models import Status
from communities.models import CommunityPage
from tests.checklists.photo_factory import make_jpeg
from tests.site.formula_checks import DANGEROUS, assert_csv_inert, assert_xlsx_inert

CODES = ["379902001001", "379902001002", "379902001003", "379902001004", "379902001005", "379902002001"]
WIRELESS = {"wireless_on_demand": True}


def user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def returned(round_, demo):
    """One returned item per dangerous text, in a community named with it, returned with it as the reason."""
    for n, (code, text) in enumerate(zip(CODES, DANGEROUS, strict=True)):
        CommunityPage.objects.filter(code=code).update(title=text)
        result = services.answer_save(round_=round_, community=CommunityPage.objects.get(code=code), item_number=2,
                                      user=user("admin"), values=WIRELESS).result
        evidence_add(result=result, user=user("admin"), data=make_jpeg(320, 240, pattern_seed=n), filename="ap.jpg")
        services.item_submit(result=result, user=user("admin"))
        decisions.item_return(result=result, user=user("verifier"), reason=text)
    return round_


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_review_queue_export(client, returned, fmt):
    client.force_login(user("verifier"))
    content = download(client, f"/admin/review/?export={fmt}&status={Status.RETURNED}")
    if fmt == "csv":
        rows = assert_csv_inert(content.decode())
        assert len(rows) == 1 + len(DANGEROUS) and {row[2] for row in rows[1:]} == {"2"}
    else:
        sheet = assert_xlsx_inert(content)["Sheet1"]
        assert {(row[2].value, row[2].data_type) for row in sheet[1:]} == {(2, "n")}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_wagtail_site_history_export(client, returned, fmt):
    """Wagtail's own report lists each entry's label, which starts with the community's name."""
    client.force_login(user("admin"))
    content = download(client, f"/admin/reports/site-history/?export={fmt}")
    labels = [f"{text} · 第2项" for text in DANGEROUS]
    if fmt == "csv":
        assert_csv_inert(content.decode(), labels)
    else:
        assert_xlsx_inert(content, labels)
