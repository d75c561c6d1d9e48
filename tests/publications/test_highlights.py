"""亮点工作 through Wagtail's own editor and moderation: a bureau writes under its own region's index only and cannot
publish; it submits for moderation; only the province (or an administrator) approves, which publishes it; the
photos go through the photo intake and become public with the approval."""

from __future__ import annotations

import io

from django.urls import reverse
from PIL import Image
from wagtail.models import Page, PageLogEntry, TaskState

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
    add = f"/admin/pages/add/publications/highlightpage/{index.pk}/"
    assert response["Location"] == f"{add}?next=/admin/publications/"  # back to 公开信息 after submitting
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
    dashboard = client.get("/admin/").content.decode()  # Wagtail's "awaiting your review" panel lists it
    assert f"/admin/pages/{page.pk}/edit/" in dashboard and page.title in dashboard
    assert client.get(EDIT.format(page.pk)).status_code == 200
    response = client.post(approve, {"comment": "同意发布"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    public = client.get(f"/publications/highlights/{page.pk}/").content.decode()
    assert "智慧社区“一网通办”" in public and "<p>第一段。</p>" in public
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"wagtail.create", "wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= actions


def written(client, bureau, city) -> HighlightPage:
    return create(client, start(client, bureau, Page.objects.get(pk=city.pk)))


def upload(client, page, *files, caption="社区服务中心") -> str:
    return client.post(reverse("publications:photos", args=[page.pk]), {"photos": list(files), "caption": caption})


def named(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_photos_through_the_intake_public_once_approved(client, bureau, province, city, other_bureau):
    page = written(client, bureau, city)
    response = upload(client, page, named("张三手机.jpg", jpeg(gps=True)), named("b.jpg", jpeg(320, 240)))
    assert response.status_code == 302
    first, second = HighlightPhoto.objects.order_by("pk")
    stored = Image.open(first.image.open("rb"))
    assert stored.format == "JPEG" and not stored.getexif() and "exif" not in stored.info  # no EXIF, no GPS
    assert first.caption == "社区服务中心" and len(first.sha256) == 64
    thumb = f"/publications/highlights/photos/{first.pk}/thumb/"
    assert client.get(thumb).status_code == 200  # its editor sees it (private, never cached)
    assert client.get(thumb)["Cache-Control"] == "private, no-store"
    client.logout()
    assert client.get(thumb).status_code == 404  # not public before the approval
    client.force_login(other_bureau)
    assert client.get(thumb).status_code == 404
    assert client.get(reverse("publications:photos", args=[page.pk])).status_code == 404

    client.force_login(bureau)
    client.post(EDIT.format(page.pk), {"title": page.title, "body": page.body, "pilot": "", "action-submit": "1"})
    locked = upload(client, page, named("c.jpg", jpeg()))
    assert "正在等待省大数据局审核" in locked.content.decode() and HighlightPhoto.objects.count() == 2
    client.force_login(province)
    state = TaskState.objects.get(status="in_progress")
    client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{state.pk}/", {"comment": ""})
    client.logout()
    public = client.get(f"/publications/highlights/{page.pk}/").content.decode()
    assert f'src="{thumb}"' in public and 'alt="社区服务中心"' in public and "张三手机" not in public
    response = client.get(thumb)
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=300"

    # A photo added after the approval waits for the next one; a removed photo is gone at once.
    client.force_login(bureau)
    upload(client, page, named("d.jpg", jpeg(400, 300)), caption="")
    late = HighlightPhoto.objects.latest("pk")
    client.post(reverse("publications:photo_remove", args=[second.pk]))
    client.logout()
    public = client.get(f"/publications/highlights/{page.pk}/").content.decode()
    assert f"/photos/{late.pk}/" not in public and f"/photos/{second.pk}/" not in public
    assert client.get(f"/publications/highlights/photos/{second.pk}/display/").status_code == 404
    assert client.get(f"/publications/highlights/photos/{late.pk}/display/").status_code == 404
    assert client.get(f"/publications/highlights/photos/{first.pk}/display/").status_code == 200
    actions = list(PageLogEntry.objects.filter(page=page, action__startswith="publications.")
                   .values_list("action", flat=True))
    assert actions.count("publications.photo_added") == 2 and actions.count("publications.photo_removed") == 1


def test_a_photo_the_intake_refuses_leaves_nothing(client, bureau, city, settings):
    page = written(client, bureau, city)
    page_html = upload(client, page, named("notes.jpg", b"not a picture at all")).content.decode()
    assert "notes.jpg：文件不是有效的图片" in page_html
    settings.PHOTO_MAX_DECODE_BYTES = 1024 * 1024  # the configured decode budget is the intake's
    page_html = upload(client, page, named("ok.jpg", jpeg(320, 240)), named("big.jpg", jpeg(1600, 1200))).content
    assert "big.jpg：图片 1600×1200 像素，处理需要约" in page_html.decode()
    assert not HighlightPhoto.objects.exists()


def test_another_citys_bureau_cannot_open_or_approve_the_report(client, bureau, city, other_bureau):
    page = written(client, bureau, city)
    client.force_login(other_bureau)
    denied = client.get(EDIT.format(page.pk))
    assert denied.status_code == 302 and denied["Location"] == "/admin/"
    assert not page.permissions_for_user(other_bureau).can_publish()
    assert page.permissions_for_user(bureau).can_edit() and not page.permissions_for_user(bureau).can_publish()


def test_the_province_sends_a_report_back_and_the_bureau_resubmits(client, bureau, province, city):
    page = written(client, bureau, city)
    form = {"title": page.title, "body": page.body, "pilot": "", "action-submit": "1"}
    client.post(EDIT.format(page.pk), form)
    state = TaskState.objects.get(status="in_progress")
    client.force_login(province)
    response = client.post(f"/admin/pages/workflow/action/{page.pk}/reject/{state.pk}/", {"comment": "请补充成效数据"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live and page.current_workflow_state.status == "needs_changes"
    assert TaskState.objects.get(pk=state.pk).comment == "请补充成效数据"
    client.force_login(bureau)
    assert page.permissions_for_user(bureau).can_edit() and not page.permissions_for_user(bureau).page_locked()
    client.post(EDIT.format(page.pk), {**form, "body": "补充：办件量 1.2 万件。"})
    page.refresh_from_db()
    assert page.workflow_in_progress and not page.live  # back with the province, still not public
    assert PageLogEntry.objects.filter(page=page, action="wagtail.workflow.reject").exists()
