"""Activation links: Django's token machinery, one use, voided by a newer sheet, expiring after ACTIVATION_DAYS;
the phone page over HTTP (weak password refused with the rule, then logged in on the checklist)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry, PageLogEntry

from people import activation
from people.activation import EXPIRED, INACTIVE, INVALID, USED, VALID, VOIDED, tokens
from people.roster import roster_import
from people.sheets import ISSUED, sheet_issue
from tests.people.roster_files import roster

pytestmark = pytest.mark.django_db
User = get_user_model()
STRONG = "Gongzuo-2026!"


@pytest.fixture
def worker(place, county_bureau):
    report = roster_import(by=county_bureau, filename="名册.csv", content=roster(
        ("张三", "13800000001", "社区工作人员", place.c1.code)))
    assert report.ok, report.errors
    return User.objects.get(username="13800000001")


def issue(by, region, **kwargs):
    return sheet_issue(by=by, region=region, **kwargs)


def token_of(link: str) -> tuple[str, str]:
    uid, token = re.search(r"/activate/([^/]+)/([^/]+)/$", link).groups()
    return uid, token


def test_a_sheet_lists_the_people_of_its_scope_and_is_logged(place, worker, county_bureau):
    sheet = issue(county_bureau, place.street)
    assert [(p.name, p.login) for p in sheet.people] == [("张三", "13800000001")]
    assert sheet.people[0].roles == (f"社区工作人员 · {place.c1.title}（{place.c1.code}）",)
    assert sheet.people[0].link.startswith("http://127.0.0.1:8000/activate/")
    assert "password" not in sheet.people[0].link
    entry = PageLogEntry.objects.get(action=ISSUED)
    assert entry.page_id == place.street.pk and entry.data["people"] == [{"name": "张三", "phone": "13800000001"}]
    assert issue(county_bureau, place.c2).people == []  # nobody of that community


def test_the_token_dies_when_used_and_every_earlier_one_with_it(place, worker, county_bureau):
    first = token_of(issue(county_bureau, place.c1).people[0].link)[1]
    second = token_of(issue(county_bureau, place.c1).people[0].link)[1]
    user = User.objects.get(pk=worker.pk)
    assert (tokens.state(user, first), tokens.state(user, second)) == (VOIDED, VALID)
    activation.activation_complete(user=user, password=STRONG)
    user = User.objects.get(pk=worker.pk)
    assert tokens.state(user, second) == USED and not tokens.check_token(user, first)
    assert user.check_password(STRONG) and user.person.activated_at is not None
    assert ModelLogEntry.objects.filter(action=activation.ACTIVATED, user=user).exists()
    assert issue(county_bureau, place.c1).people == []  # activated people are left off by default
    assert len(issue(county_bureau, place.c1, include_activated=True).people) == 1


def test_links_expire_after_activation_days(place, worker, county_bureau, settings, monkeypatch):
    settings.ACTIVATION_DAYS = 3
    token = token_of(issue(county_bureau, place.c1).people[0].link)[1]
    later = datetime.datetime.now() + datetime.timedelta(days=3, minutes=1)
    monkeypatch.setattr(tokens, "_now", lambda: later)
    assert tokens.state(User.objects.get(pk=worker.pk), token) == EXPIRED
    monkeypatch.setattr(tokens, "_now", lambda: later - datetime.timedelta(minutes=2))
    assert tokens.state(User.objects.get(pk=worker.pk), token) == VALID


def test_deactivated_tampered_and_foreign_tokens(place, worker, county_bureau):
    token = token_of(issue(county_bureau, place.c1).people[0].link)[1]
    assert tokens.state(worker, token[:-1] + ("0" if token[-1] != "0" else "1")) == INVALID
    assert tokens.state(worker, "nonsense") == INVALID
    roster_import(by=county_bureau, filename="离岗.csv",
                  content=roster(("张三", "13800000001", "", "", "", "离岗")))
    assert tokens.state(User.objects.get(pk=worker.pk), token) == INACTIVE


def test_bureaus_issue_sheets_only_in_their_scope(place, worker, county_bureau, city_bureau, admin):
    with pytest.raises(PermissionDenied):
        issue(county_bureau, place.city)
    with pytest.raises(PermissionDenied):
        issue(county_bureau, place.far_community)
    assert len(issue(city_bureau, place.city).people) == 1
    # Someone who also holds a role beyond the county bureau's scope is not on its sheet.
    roster_import(by=city_bureau, filename="市.csv", content=roster(
        ("张三", "13800000001", "社区工作人员", place.c1.code),
        ("张三", "13800000001", "社区工作人员", place.district_community.code)))
    sheet = issue(county_bureau, place.county)
    assert sheet.people == [] and "超出您的管辖范围" in sheet.skipped[0]
    assert len(issue(admin, place.county).people) == 1


# --- the phone page, over HTTP -----------------------------------------------------------------------------


def open_link(client, link):
    path = link.removeprefix("http://127.0.0.1:8000")
    return client.get(path, follow=True)


def test_the_phone_page_refuses_a_weak_password_then_logs_in_on_the_checklist(client, place, worker,
                                                                               county_bureau):
    link = issue(county_bureau, place.c1).people[0].link
    page = open_link(client, link)
    assert page.status_code == 200 and page.redirect_chain[0][0].endswith("/set-password/")
    html = page.content.decode()
    assert "13800000001" in html and "设置密码" in html and "至少 3 类" in html
    weak = client.post(page.redirect_chain[0][0], {"new_password1": "abc12345", "new_password2": "abc12345"})
    assert weak.status_code == 200 and "密码需包含小写字母、大写字母、数字、符号中的至少 3 类" in weak.content.decode()
    assert not User.objects.get(pk=worker.pk).has_usable_password()
    done = client.post(page.redirect_chain[0][0], {"new_password1": STRONG, "new_password2": STRONG})
    assert done.status_code == 302 and done["Location"] == f"/c/{place.c1.code}/"
    assert client.session["_auth_user_id"] == str(worker.pk)
    again = open_link(client, link)
    assert "已使用过" in again.content.decode() and "大数据局" in again.content.decode()


@pytest.mark.parametrize("case", ["expired", "voided", "inactive", "tampered"])
def test_dead_links_say_why_and_what_to_do(client, place, worker, county_bureau, settings, case):
    link = issue(county_bureau, place.c1).people[0].link
    if case == "expired":
        settings.ACTIVATION_DAYS = 0
        tokens._now = lambda: datetime.datetime.now() + datetime.timedelta(seconds=5)
    elif case == "voided":
        issue(county_bureau, place.c1)
    elif case == "inactive":
        roster_import(by=county_bureau, filename="离岗.csv",
                      content=roster(("张三", "13800000001", "", "", "", "离岗")))
    else:
        link = link[:-3] + "zz/"
    try:
        html = open_link(client, link).content.decode()
    finally:
        tokens.__dict__.pop("_now", None)
    expected = {"expired": "已过期", "voided": "已作废", "inactive": "已停用", "tampered": "无效"}[case]
    assert expected in html and "索取新的激活单" in html
    assert 'name="new_password1"' not in html
    assert not User.objects.get(pk=worker.pk).has_usable_password()
