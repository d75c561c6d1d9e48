"""The review screens in one language (issue 20): an English verifier reads English; what is stored stays Chinese."""

import re

from django.conf import settings

from checklists.models import Status
from tests.review.conftest import user


def test_the_review_screens_in_english(client, queue):
    # The review queue, the item page and the dashboard panel go through gettext: an English session reads English
    # (the Chinese, the msgids, is unchanged: the other tests read it).
    client.force_login(user("verifier"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    listing = client.get("/admin/review/").content.decode()
    assert 'aria-label="By status"' in listing and ">All (without drafts)</a>" in listing
    assert re.search(r">\s*Old photo\s*<", listing) and "旧照片" not in listing
    page = client.get(f"/admin/review/{queue['failing'].pk}/").content.decode()
    for text in ("Reported data", "History", "Return for changes (a reason is required)", ">Approve</button>",
                 "Approve all 2 items of this community awaiting review"):
        assert text in page, text
    assert ">填报数据<" not in page and ">历史记录<" not in page
    # The rule's reasons are stored in Chinese (the record); the English reader gets them evaluated in English.
    stored = queue["failing"].evaluation["reasons"]
    assert any("未达到" in reason for reason in stored) and " is below " in page
    assert not [reason for reason in stored if reason in page]
    home = client.get("/admin/").content.decode()
    assert 'data-count="submitted">3</strong> awaiting review' in home
    assert re.search(r"<h1[^>]*>\s*Smart Community Compliance Check\s*</h1>", home) and "智慧社区达标核查" not in home


def test_an_english_verifier_reads_the_common_reasons_in_english_and_returns_in_chinese(client, queue):
    # The checkbox's label is in the verifier's language; what is stored (and the worker reads) is the Chinese.
    client.force_login(user("verifier"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    result = queue["failing"]
    page = client.get(f"/admin/review/{result.pk}/").content.decode()
    assert "The photo is not clear; please take it again</label>" in page and "请重新拍摄</label>" not in page
    assert 'value="照片不清晰，请重新拍摄"' in page
    client.post(f"/admin/review/{result.pk}/return/", {"reasons": ["照片不清晰，请重新拍摄"], "detail": ""})
    result.refresh_from_db()
    assert (result.status, result.return_reason) == (Status.RETURNED, "照片不清晰，请重新拍摄")


def test_a_chinese_verifier_keeps_the_chinese(client, queue):
    client.force_login(user("verifier"))
    page = client.get(f"/admin/review/{queue['failing'].pk}/").content.decode()
    for words in ("填报数据", "历史记录", "照片不清晰，请重新拍摄</label>", "退回修改（必须说明理由）"):
        assert words in page, words
    listing = client.get("/admin/review/").content.decode()
    assert "审核队列" in listing and "指标填报" in listing
    home = client.get("/admin/").content.decode()
    assert re.search(r"<h1[^>]*>\s*智慧社区达标核查\s*</h1>", home)
