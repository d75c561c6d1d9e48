"""标准版本 and 核查轮次 in one language (issue 20): an administrator whose session prefers English reads the listings,
the forms, their refusals and the history in English; the standard's own text stays as written (marked as Chinese);
a Chinese reader keeps today's wording; the log records the pinned version in Chinese either way."""

import re

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import ModelLogEntry

from audit.actors import system
from standards.models import Round, StandardVersion
from standards.rounds import round_open
from standards.versions import latest
from tests.communities.admin_forms import fill_and_post
from tests.factories import bundled_standards


@pytest.fixture
def admin_client(client, demo):
    bundled_standards()  # load_bundled, replayed after the first build
    round_open("2026", name="2026年度", user=system("tests"))
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def text(response) -> str:
    return response.content.decode()


def test_the_standards_screens_in_english(admin_client, in_english):
    in_english(admin_client)
    version = latest()
    listing = text(admin_client.get(reverse("standards:index")))
    for words in ("Standard versions", "Standard code", "Revision note", "SD-ZHSQ-2019 version 1"):
        assert words in listing, words
    for words in ("标准版本", "标准编号", "修订说明", "第1版"):
        assert words not in listing, words
    inspect = text(admin_client.get(reverse("standards:inspect", args=[version.pk])))
    assert "Standard content" in inspect and "标准内容" not in inspect
    # The province's wording is data: shown as written, inside an element that says it is Chinese.
    [shown] = re.findall(r'<pre lang="zh-Hans"[^>]*>(.*?)</pre>', inspect, re.S)
    assert "code: SD-ZHSQ-2019\n" in shown and f"title: {version.title}\n" in shown  # keys in the database's order
    history = text(admin_client.get(reverse("standards:history", args=[version.pk])))
    assert "Standard version created" in history and "新建标准版本" not in history
    broken = dict(StandardVersion.objects.get(code="SD-ZHCS-2019").data, bands=[])
    response = admin_client.post(reverse("standards:add"), {"text": yaml.safe_dump(broken, allow_unicode=True)})
    assert response.status_code == 200 and "The scoring standard has these problems: " in text(response)
    assert "评分标准有以下问题" not in text(response)


def test_the_rounds_screens_in_english_and_the_log_in_chinese(admin_client, in_english):
    in_english(admin_client)
    pinned = latest()
    listing = text(admin_client.get(reverse("rounds:index")))
    for words in ("Rounds", "Round code", "Started at", f"SD-ZHSQ-2019 version {pinned.version}"):
        assert words in listing, words
    assert "轮次代码" not in listing and f"第{pinned.version}版" not in listing
    form, response = fill_and_post(admin_client, reverse("rounds:add"), {"code": "2026", "name": "重复"})
    assert "New: Round" in text(form) and "核查轮次" not in text(form)
    assert response.status_code == 200 and "The round code 2026 already exists" in text(response)
    _, response = fill_and_post(admin_client, reverse("rounds:add"), {"code": "2027", "name": "2027年度"})
    assert response.status_code == 302
    created = Round.objects.get(code="2027")
    entry = ModelLogEntry.objects.get(content_type=ContentType.objects.get_for_model(Round), object_id=created.pk,
                                      action="standards.round_created")
    assert entry.data["standard"] == f"{created.standard.code} 第{created.standard.version}版"  # the record
    history = text(admin_client.get(reverse("rounds:history", args=[created.pk])))
    assert "Round created" in history and "新建轮次" not in history


def test_a_chinese_reader_keeps_the_chinese(admin_client):
    listing = text(admin_client.get(reverse("standards:index")))
    assert "标准编号" in listing and "SD-ZHSQ-2019 第1版" in listing
    rounds = text(admin_client.get(reverse("rounds:index")))
    assert "轮次代码" in rounds and "核查轮次" in rounds
    _, response = fill_and_post(admin_client, reverse("rounds:add"), {"code": "2026", "name": "重复"})
    assert "轮次代码 2026 已存在" in text(response)
