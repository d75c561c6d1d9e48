"""The public list of a batch as published, at /pilots/<year>/list/: anyone may read it once published, it stays as
published, and it keeps to the site's Content-Security-Policy. (/pilots/<year>/, the batch with its outcomes, is
tests/publications/test_batch_page.py's.)"""

from __future__ import annotations

import re

from django.utils import timezone
from wagtail.models import Page

from pilots.models import PilotListPage
from pilots.services import batches
from pilots.services.moves import pilot_move
from pilots.stages import Stage
from tests.pilots.pilot_factory import Walk, arguments, at_stage, ready


def test_anyone_reads_the_list_once_published_and_not_before(client, assess, bureau, province, county):
    walk = Walk(bureau, province, assess, county)
    pilot = at_stage(walk, Stage.LISTED)
    url = f"/pilots/{pilot.application.batch.year}/list/"
    assert client.get(url).status_code == 404  # listed, not yet published
    assert client.get(f"/pilots/{pilot.application.batch.year + 1}/list/").status_code == 404  # no such batch
    batches.batch_publish(user=province, batch=pilot.application.batch)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    page = PilotListPage.objects.get(batch=pilot.application.batch)
    assert f"<title>{page.title}</title>" in html and "省级新型智慧城市试点名单" in html
    assert "县（市、区）（1 个）" in html and "设区市（" not in html
    assert "<td>示范市</td><td>示范县</td><td class=\"star\">四星试点</td>" in html
    assert f"公布日期：{timezone.localdate():%Y年%-m月%-d日}" in html and "共 1 个试点" in html
    assert page.url == f"/pilots/{pilot.application.batch.year}/"  # the batch's page, with its outcomes
    # Only the live page is ever served: unpublished, it is gone again.
    page.unpublish()
    assert client.get(url).status_code == 404


def table(html: str) -> str:
    return html[html.index("<section"):html.rindex("</section>")]


def test_the_published_list_does_not_drift(client, assess, bureau, province, county):
    walk = Walk(bureau, province, assess, county)
    pilot = at_stage(walk, Stage.MIDTERM)  # listed, published, then on into the midterm
    url = f"/pilots/{pilot.application.batch.year}/list/"
    before = table(client.get(url).content.decode())
    pilot = pilot_move(user=province, pilot=ready(walk, pilot, "midterm_fail"), move="midterm_fail",
                       **arguments("midterm_fail"))
    Page.objects.filter(pk=county.pk).update(title="改名后的县")  # the region renamed since
    after = client.get(url).content.decode()
    assert pilot.stage == Stage.FINAL and table(after) == before
    assert "示范县" in before and "改名后的县" not in after


def test_the_page_keeps_to_the_csp(client, assess, bureau, province, county):
    pilot = at_stage(Walk(bureau, province, assess, county), Stage.MIDTERM)  # published on the way
    response = client.get(f"/pilots/{pilot.application.batch.year}/list/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    html = response.content.decode()
    assert "<script" not in html  # no script at all, inline or not
    tags = re.findall(r"<style[^>]*>", html)
    assert tags == [f'<style nonce="{nonce}">']
    assert not re.search(r"\sstyle=|\son[a-z]+=", html)  # no inline style or handler attributes
