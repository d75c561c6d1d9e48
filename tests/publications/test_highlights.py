"""亮点工作 through Wagtail's own editor and moderation: a bureau writes under its own region's index only and cannot
publish; it submits for moderation; only the province (or an administrator) approves, which publishes it; the
photos go through the photo intake and become public with the approval."""

from __future__ import annotations

import io
import re

from django.urls import reverse
from PIL import Image
from wagtail.models import Page, PageLogEntry, TaskState

from communities.models import CityPage
from publications.models import HighlightIndexPage, HighlightPage, HighlightPhoto

EDIT = "/admin/pages/{}/edit/"


def jpeg(width: int = 640, height: int = 480, *, gps: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), (40, 140, 90))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (36.0, 40.0, 1.5), 3: "E", 4: (117.0, 1.0, 2.5)}
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def start(client, user, region) -> HighlightIndexPage:
    """Press 撰写亮点工作 for `region` on 公开信息 and land on Wagtail's create view under its index."""
    client.force_login(user)
    response = client.post(reverse("publications:highlight_new"), {"region": region.pk})
    assert response.status_code == 302, response.status_code
    index = HighlightIndexPage.objects.get(region=region)
    assert response["Location"] == f"/admin/pages/add/publications/highlightpage/{index.pk}/"
    return index


def create(client, index, action: str = "") -> HighlightPage:
    data = {"title": "智慧社区“一网通办”", "body": "第一段。\n\n第二段。", "pilot": ""}
    if action:
        data[action] = "1"
    response = client.post(f"/admin/pages/add/publications/highlightpage/{index.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "/edit/" in response["Location"], response["Location"]
    return HighlightPage.objects.get(title="智慧社区“一网通办”")


def test_a_bureau_writes_submits_and_the_province_approves(client, bureau, province, city):
    index = start(client, bureau, Page.objects.get(pk=city.pk))
    page = create(client, index)
    assert not page.live and page.owner == bureau
    # The bureau may not publish: the button's POST saves a draft at most.
    response = client.post(EDIT.format(page.pk), {"title": page.title, "body": page.body,
                                                   "pilot": "", "action-publish": "1"})
    page.refresh_from_db()
    assert not page.live
    assert client.get(f"/publications/highlights/{page.pk}/").status_code == 404
    # Submit for moderation (Wagtail's own).
    response = client.post(EDIT.format(page.pk), {"title": page.title, "body": page.body,
                                                   "pilot": "", "action-submit": "1"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.workflow_in_progress and not page.live
    state = TaskState.objects.get(status="in_progress")
    approve = f"/admin/pages/workflow/action/{page.pk}/approve/{state.pk}/"
    refused = client.post(approve, {"comment": ""})  # the bureau cannot approve its own
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's "no permission"
    page.refresh_from_db()
    assert not page.live and page.workflow_in_progress

    client.force_login(province)
    assert client.get(EDIT.format(page.pk)).status_code == 200
    response = client.post(approve, {"comment": "同意发布"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    public = client.get(f"/publications/highlights/{page.pk}/").content.decode()
    assert "智慧社区“一网通办”" in public and "<p>第一段。</p>" in public
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"wagtail.create", "wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= actions
