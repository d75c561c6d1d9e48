"""The phone checklist's exact words and markup in Chinese and English, and the same page whether or not the
catalogs remember their lookups (issue 17's speed-up must not change a byte a worker receives)."""

import re

import pytest
from django.conf import settings
from django.utils.translation import trans_real

from checklists.decisions import item_return
from checklists.evidence import evidence_add
from checklists.services import answer_save, item_submit
from smartsite import i18n
from tests.checklists.photo_factory import make_jpeg

LIGHTS = {"smart_lights": "60", "public_lights": "100", "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"}
# Per request or per render, never the same twice: the CSRF token, each form's request id, the server's clock.
VOLATILE = re.compile(r'(csrfmiddlewaretoken" value="|name="request_id" value="|data-at=")[^"]*')


@pytest.fixture
def submitted(round_, community, worker):
    """Item 8 filled, with one photo, submitted for review."""
    result = answer_save(round_=round_, community=community, item_number=8, user=worker, values=LIGHTS).result
    photo = evidence_add(result=result, user=worker, data=make_jpeg(64, 48, pattern_seed=8), filename="a.jpg")
    return item_submit(result=result, user=worker), photo


def page(client, community) -> str:
    response = client.get(f"/c/{community.code}/")
    assert response.status_code == 200
    return VOLATILE.sub(r"\1", response.content.decode())


def item_html(body: str, number: int) -> str:
    start = body.index(f'id="item-{number}"')
    return body[body.rindex("<details", 0, start):body.index("</details>\n", start)]


def test_a_submitted_item_in_chinese(client, worker, community, submitted):
    result, photo = submitted
    client.force_login(worker)
    item = item_html(page(client, community), 8)
    assert '<details class="item s-submitted" id="item-8" data-n="8" data-chip="submitted" data-cat=' in item
    assert '<span class="no">8</span>' in item and '<span class="chip c-submitted" data-chip>待审核</span>' in item
    assert f'<input type="hidden" name="base_revision" value="{result.revision}">' in item
    assert '<p class="lb">照片佐证（至少1张）</p>' in item
    assert f'<li data-id="{photo.pk}"><a href="evidence/{photo.pk}/display/">' in item
    assert f'<img src="evidence/{photo.pk}/thumb/" alt="照片" loading="lazy">' in item
    assert '<p class="v-pass">判定：<b>达标</b></p>' in item
    assert '<button name="do" value="save">保存</button>' in item
    assert '<button name="do" value="submit" class="sec">提交审核</button>' in item
    assert "<summary>撤回修改</summary>" in item and "<summary>备注</summary>" in item
    assert "已提交审核，内容只读。" in item


def test_a_submitted_item_in_english(client, worker, community, submitted, in_english):
    result, photo = submitted
    client.force_login(worker)
    item = item_html(page(in_english(client), community), 8)
    assert '<span class="chip c-submitted" data-chip>Awaiting review</span>' in item
    assert f'<input type="hidden" name="base_revision" value="{result.revision}">' in item
    assert '<p class="lb">Photo evidence (at least 1)</p>' in item
    assert '<p class="v-pass">Verdict: <b>Met</b></p>' in item
    assert '<button name="do" value="save">Save</button>' in item
    assert '<button name="do" value="submit" class="sec">Submit for review</button>' in item
    assert "<summary>Withdraw to edit</summary>" in item and "<summary>Note</summary>" in item
    assert "Submitted for review: read only." in item
    # The standard's wording stays the province's Chinese; none of the page's own words do.
    words = set(re.findall(r"[\u4e00-\u9fff]+", item))
    assert not {"待审核", "照片佐证", "判定", "达标", "保存", "提交审核", "备注", "照片", "移除", "已提交审核"} & words


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_is_the_same_with_and_without_remembered_lookups(client, worker, community, submitted, monkeypatch,
                                                                   language):
    client.force_login(worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    remembered = page(client, community)
    catalog = trans_real.translation(language)
    assert "gettext" in vars(catalog) and "ngettext" in vars(catalog)  # the middleware made it remember
    monkeypatch.setattr(i18n, "remember_lookups", trans_real.translation)
    monkeypatch.delattr(catalog, "gettext")
    monkeypatch.delattr(catalog, "ngettext")
    walked = page(client, community)
    assert "gettext" not in vars(catalog)
    assert walked == remembered


def test_returned_reason_notes_and_typed_text_are_escaped_as_before(client, worker, verifier, community, round_,
                                                                   submitted):
    """The answers fill the once-rendered item's holes (checklists.mobile.fragments) as the template wrote them."""
    item_return(result=submitted[0], user=verifier, reason="请补充<照片> & “说明”")
    text_item = next(i for i in round_.standard.items if any(f["kind"] == "text" for f in i["fields"]))
    key = next(f["key"] for f in text_item["fields"] if f["kind"] == "text")
    typed = answer_save(round_=round_, community=community, item_number=text_item["number"], user=worker,
                        values={key: "  <b>x</b> & y"}, note="   ").result
    client.force_login(worker)
    body = page(client, community)
    returned = item_html(body, 8)
    assert '<details class="item s-returned" id="item-8" data-n="8" data-chip="returned"' in returned
    assert '<span class="reason"><b>退回理由：</b>请补充&lt;照片&gt; &amp; “说明”</span>' in returned
    assert "<fieldset class=\"fs\"><div class=\"fd\">" in returned  # editable again
    text = item_html(body, text_item["number"])
    assert f'<textarea name="v.{key}" rows="3">  &lt;b&gt;x&lt;/b&gt; &amp; y</textarea>' in text
    assert typed.note == "   "  # a note of spaces shows as {% spaceless %} left it: empty, and 已填
    assert '<summary>备注（已填）</summary><textarea name="note" rows="2"></textarea>' in text
