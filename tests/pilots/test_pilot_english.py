"""The pilot screens in one language (issue 20): a person who chose English reads the index, a pilot's page and the
public list in English, names and data as written; Chinese stays the default; what is stored or published (the
frozen list, the log's move label) keeps the Chinese wording whatever the language of the person who acts."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from wagtail.models import ModelLogEntry

from pilots.models import PilotListPage
from pilots.services import batches
from pilots.stages import Stage
from tests.pilots.admin_helpers import pilot_url, text
from tests.pilots.pilot_factory import Walk, at_stage


def english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_province_reads_the_pilot_screens_in_english(client, assess, bureau, province, county):
    pilot = at_stage(Walk(bureau, province, assess, county), Stage.LISTED)
    client.force_login(province)
    chinese = text(client.get(pilot_url(pilot)))
    assert ">阶段记录<" in chinese and ">现场复核<" in chinese and "列入名单" in chinese  # the default, unchanged
    english(client)
    index = text(client.get("/admin/pilots/"))
    for words in ("Pilot batches", "Expert pool", "Export the stage records", ">Filter</button>", "Pilot region",
                  "Provincial new smart city pilots: application"):
        assert words in index, words
    page = text(client.get(pilot_url(pilot)))
    for words in (">Stage records<", ">On-site review<", ">Listed</span>", "Applying city", "four-star pilot",
                  "Submit the application", "Passes formal review: on to expert assessment", "Expert reviews"):
        assert words in page, words
    assert "示范县" in page  # a name stays as written
    for chinese_words in ("阶段记录", "列入名单", "四星试点", "形式审查通过"):
        assert chinese_words not in page, chinese_words
    batches_page = text(client.get("/admin/pilots/batches/"))
    assert ">New batch</a>" in batches_page and ">Publish the list</a>" in batches_page


def test_the_public_list_follows_the_visitors_choice_and_stays_chinese_as_stored(client, assess, bureau, province,
                                                                                   county):
    pilot = at_stage(Walk(bureau, province, assess, county), Stage.LISTED)
    with translation.override("en"):  # the province works in English: what it publishes stays in Chinese
        batches.batch_publish(user=province, batch=pilot.application.batch)
    the_batch = pilot.application.batch
    the_batch.refresh_from_db()
    entry = the_batch.published_list[0]
    assert entry["target"] == "四星" and entry["level_label"].startswith("县（市、区）")
    assert PilotListPage.objects.get(batch=the_batch).title.endswith("省级新型智慧城市试点名单")
    label = ModelLogEntry.objects.filter(action="pilots.moved").order_by("pk").last().data["label"]
    assert label == "现场复核确认，列入省级试点名单"
    url = f"/pilots/{the_batch.year}/list/"
    chinese = client.get(url).content.decode()
    assert '<html lang="zh-hans">' in chinese and 'class="star">四星试点</td>' in chinese
    assert 'lang="en"' in chinese and ">English</button>" in chinese  # the switcher offers the other language
    english(client)
    page = client.get(url).content.decode()
    assert '<html lang="en">' in page and 'class="star">four-star pilot</td>' in page
    assert "Counties (county-level cities, districts) (1)" in page and "Published: " in page
    assert "示范县" in page and "四星" not in page
