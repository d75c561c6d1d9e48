"""The phone page's once-rendered parts (checklists.mobile.fragments): holes filled with escaped answers, and
caches keyed so that another language or a new version of the standard never shows stale words."""

import copy

import pytest

from audit.actors import system
from checklists.mobile.fragments import Fragment, _fragment, hole_marker, rendered_once
from checklists.selectors.item_text import item_texts
from checklists.services import answer_save
from standards.rounds import round_update
from standards.versions import standard_save
from tests.checklists.test_mobile_page_text import item_html, page


def test_a_fragment_is_cut_at_its_holes_and_filled_by_name():
    fragment = _fragment(f'<p title="{hole_marker("a")}">x</p>{hole_marker("b", "k")}<i>{hole_marker("a")}</i>')
    assert fragment == Fragment(('<p title="', '">x</p>', "<i>", "</i>"), ("a", "b\x1fk", "a"))
    assert fragment.fill({"a": "1", "b\x1fk": "<b>2</b>"}) == '<p title="1">x</p><b>2</b><i>1</i>'
    assert fragment.fill({}) == '<p title="">x</p><i></i>'


def test_blank_text_between_two_tags_goes_as_spaceless_made_it_go():
    # {% spaceless %} ran over the whole item, answers included: a note of spaces between two tags vanished.
    between = _fragment(f"<textarea>{hole_marker('note')}</textarea>")
    assert between.fill({"note": "   "}) == "<textarea></textarea>"
    assert between.fill({"note": " a "}) == "<textarea> a </textarea>"
    beside_text = _fragment(f"<b>x {hole_marker('note')}</b>")
    assert beside_text.fill({"note": "   "}) == "<b>x    </b>"


def test_a_part_is_rendered_once_per_language(settings):
    from django.utils import translation

    with translation.override("zh-hans"):
        chinese = rendered_once("checklists/mobile/_actions.html", base="", submitted=False)
        assert rendered_once("checklists/mobile/_actions.html", base="", submitted=False) is chinese
    with translation.override("en"):
        english = rendered_once("checklists/mobile/_actions.html", base="", submitted=False)
    assert "保存" in "".join(chinese.texts) and "Save" in "".join(english.texts)
    assert "保存" not in "".join(english.texts)


def test_the_words_of_an_item_are_kept_per_version_and_language(standard):
    from django.utils import translation

    with translation.override("zh-hans"):
        chinese = item_texts(standard)
        assert item_texts(standard) is chinese
    with translation.override("en"):
        english = item_texts(standard)
    assert english is not chinese
    item = standard.item(8)
    assert chinese[8].name == english[8].name == item["name"]
    assert [f.label for f in chinese[8].fields] == [f["label"] for f in item["fields"]]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_in_one_language_after_the_other_keeps_its_own_words(client, worker, community, round_, settings,
                                                                       language):
    client.force_login(worker)
    other = "en" if language == "zh-hans" else "zh-hans"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    first = page(client, community)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = other
    assert page(client, community) != first
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert page(client, community) == first


def test_a_new_version_of_the_standard_shows_its_own_words(client, worker, community, round_):
    client.force_login(worker)
    before = item_html(page(client, community), 8)  # renders (and keeps) version 1's parts
    data = copy.deepcopy(round_.standard.data)
    item = next(i for i in data["items"] if i["number"] == 8)
    old_name, old_label = item["name"], item["fields"][0]["label"]
    item["name"], item["description"] = "智能照明（第二版）", "第二版的说明<b>。"
    item["fields"][0]["label"] = "智能路灯数（第二版）"
    version, created = standard_save(data, user=system("tests"))
    assert created
    round_ = round_update(user=system("tests"), round_=round_, code=round_.code, name=round_.name, standard=version)
    answer_save(round_=round_, community=community, item_number=8, user=worker, values={"smart_lights": "3"})
    after = item_html(page(client, community), 8)
    assert old_name in before and old_label in before
    assert '<span class="nm">智能照明（第二版）</span>' in after
    assert '<p class="desc">第二版的说明&lt;b&gt;。</p>' in after
    assert "智能路灯数（第二版）" in after and old_label not in after
    assert 'name="v.smart_lights" value="3"' in after  # the answer is the worker's, whatever the words


def test_a_changed_template_under_runserver_renders_the_parts_again():
    from pathlib import Path

    from django.utils.autoreload import file_changed

    from checklists.mobile import fragments

    rendered_once("checklists/mobile/_actions.html", base="", submitted=True)
    assert fragments._rendered_once.cache_info().currsize
    file_changed.send(sender=None, file_path=Path("templates/checklists/mobile/_item.html"))
    assert fragments._rendered_once.cache_info().currsize == 0
