"""公开信息 in one language (issue 20): the province's screen and the public index in English for a person who chose
it, the names as written; Chinese stays the default, for anonymous visitors too."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from pilots.stages import Stage
from tests.pilots.admin_helpers import text


def test_the_publications_screen_in_english(client, reach, province):
    pilot = reach(Stage.REVOKED)
    client.force_login(province)
    chinese = text(client.get("/admin/publications/"))
    assert "收回奖补通报" in chinese and "撰写并发布通报" in chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get("/admin/publications/"))
    for words in ("Public pages (no login)", "Public notices of subsidy withdrawal", "Write and issue the notice",
                  "List of smart communities", "four-star pilot"):
        assert words in page, words
    for chinese_words in ("收回奖补通报", "撰写并发布通报", "四星试点"):
        assert chinese_words not in page, chinese_words
    notice = text(client.get(reverse("publications:notice", args=[pilot.pk])))
    assert "Notice title" in notice and ">Issue the notice</button>" in notice
    # The notice's public words start in Chinese whatever the screen's language: they are published as written.
    assert 'value="关于收回示范县四星试点奖补资金的通报"' in notice


def test_the_public_index_is_chinese_unless_the_visitor_chooses_english(client, reach):
    chinese = text(client.get("/publications/"))
    assert '<html lang="zh-hans">' in chinese and "本页内容由省大数据局公布" in chinese
    assert ">English</button>" in chinese  # the switcher, for anyone
    chosen = client.post("/i18n/setlang/", {"language": "en", "next": "/publications/"})
    assert chosen.status_code == 302
    page = text(client.get("/publications/"))
    assert '<html lang="en">' in page and "Published by the provincial big data bureau" in page
    assert "本页内容由省大数据局公布" not in page and ">简体中文</button>" in page
