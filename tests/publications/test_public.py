"""The public pages as anyone sees them: the index before and after anything is published, no personal data
anywhere (names, phones, logins, e-mails, file names), and the site's Content-Security-Policy with no inline code."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from wagtail.models import Page, TaskState

from audit.actors import system
from pilots.stages import Stage
from publications.services.notices import notice_publish
from publications.services.smartlists import smart_list_publish
from publications.services.tree import public_index
from tests.coverage.coverage_factory import make_smart
from tests.publications.test_highlights import EDIT, create, jpeg, start

PEOPLE = {  # login (a phone number, as the roster makes them), name, e-mail
    "bureau": ("13912345678", "王建国", "wangjg@example.gov.cn"),
    "province": ("13800001111", "李明华", "limh@example.gov.cn"),
    "admin": ("13700002222", "赵管理", "zhao@example.gov.cn"),
}


def everything_published(client, reach, province, bureau, round_, city) -> list[str]:
    """Publish one of each kind and return the public addresses."""
    pilot = reach(Stage.REVOKED)
    notice_publish(user=province, pilot=pilot, title="关于收回示范县四星试点奖补资金的通报", text="予以通报。")
    make_smart(round_, ["379902001001"])
    smart = smart_list_publish(user=province, round_=round_)
    page = create(client, start(client, bureau, Page.objects.get(pk=city.pk)))
    client.post(reverse("publications:photos", args=[page.pk]),
                {"photos": [SimpleUploadedFile("王建国拍摄.jpg", jpeg(gps=True), "image/jpeg")], "caption": ""})
    client.post(EDIT.format(page.pk), {"title": page.title, "body": page.body, "pilot": pilot.pk,
                                       "action-submit": "1"})
    client.force_login(province)
    client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{TaskState.objects.get().pk}/", {"comment": ""})
    client.logout()
    year = pilot.application.batch.year
    return ["/publications/", f"/pilots/{year}/", f"/pilots/{year}/list/", "/publications/smart-communities/2026/",
            smart.url, f"/publications/highlights/{page.pk}/"]


def test_the_index_answers_before_anything_is_published(client, demo):
    html = client.get("/publications/").content.decode()
    assert "<h1>公开信息</h1>" in html and "尚未公布试点名单。" in html and "尚无经审核发布的亮点工作。" in html
    assert "/publications/" in client.get("/").content.decode()  # linked from the site's home page
    with transaction.atomic():
        index = public_index(actor=system("tests"))
    assert index.live and client.get("/publications/").status_code == 200
    index.unpublish()  # taken down by the province: gone, not shown empty
    assert client.get("/publications/").status_code == 404


def test_no_personal_data_and_no_inline_code_on_any_public_page(client, reach, province, bureau, round_, city):
    users = get_user_model().objects
    for username, (login, name, email) in PEOPLE.items():
        users.filter(username=username).update(username=login, first_name=name[0], last_name=name[1:], email=email)
    urls = everything_published(client, reach, province, bureau, round_, city)
    personal = [value for person in PEOPLE.values() for value in person] + [name[1:] for _, name, _ in PEOPLE.values()]
    personal += ["张三", "李四", "王建国拍摄"]  # the on-site visit's members, a photo's file name
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert [value for value in personal if value in html] == [], url
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert "<script" not in html, url
        assert [tag for tag in re.findall(r"<style[^>]*>", html) if "nonce=" not in tag] == [], url
        assert not re.search(r"\sstyle=|\son[a-z]+=", html), url
    highlight = client.get(urls[-1]).content.decode()
    assert "示范市" in highlight and "四星试点" in highlight and "<img" in highlight
    index = client.get("/publications/").content.decode()
    assert all(f'href="{url}"' in index for url in (urls[1], urls[-1])) and "智慧社区名单（第1版）" in index


def test_the_index_takes_the_same_queries_however_many_reports(client, demo, bureau, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from publications.models import HighlightPage
    from publications.services.tree import highlight_index

    index = highlight_index(user=bureau, region=Page.objects.get(pk=city.pk))

    def report(n: int) -> None:
        page = index.add_child(instance=HighlightPage(title=f"亮点{n}", body="正文"))
        page.save_revision().publish()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/publications/").status_code == 200
        return len(captured)

    report(1)
    queries()  # the first request fills Wagtail's cached site root paths
    one = queries()
    for n in range(2, 6):
        report(n)
    assert queries() == one
