"""Which language a request gets (the person's choice, never Accept-Language), the phone's switcher, Wagtail's
own preference in the admin, the phone scripts' catalog, the catalogs themselves, and no Gravatar / a favicon."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from wagtail.admin.templatetags.wagtailadmin_tags import avatar_url
from wagtail.users.models import UserProfile

from checklists.selectors.offline import shell_urls
from tests.browser.language import HAN

LOCALE = Path(settings.BASE_DIR) / "locale"


def lang_of(response) -> str:
    text = response.content.decode()
    return text[text.index("<html lang=\"") + 12:].split('"')[0]


@pytest.mark.django_db
def test_chinese_by_default_even_for_an_english_browser(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert lang_of(response) == "zh-hans" and response["Content-Language"] == "zh-hans"
    assert "Cookie" in response["Vary"] and "Accept-Language" not in response["Vary"]
    assert "智慧社区达标核查" in response.content.decode()


@pytest.mark.django_db
def test_switcher_sets_english_for_a_year_and_back(client):
    page = client.get("/login/").content.decode()
    assert 'action="/i18n/setlang/"' in page and 'value="en" lang="en"' in page and ">English</button>" in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and int(cookie["max-age"]) == 365 * 24 * 3600 and cookie["httponly"]
    english = client.get("/login/")
    assert lang_of(english) == "en" and english["Content-Language"] == "en"
    assert 'value="zh-hans" lang="zh-hans"' in english.content.decode()  # the way back, in its own language
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/login/"})
    assert lang_of(client.get("/login/")) == "zh-hans"


@pytest.mark.django_db
def test_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert lang_of(client.get("/login/")) == "zh-hans"


def test_phone_layout_in_english(client, worker, round_):
    client.force_login(worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/c/379902001001/").content.decode()
    assert '<html lang="en">' in page and ">Log out</button>" in page
    assert '<script src="/jsi18n/en/" defer></script>' in page


def test_offline_page_versions_follow_the_language(client, worker, round_):
    client.force_login(worker)
    chinese = client.get("/c/379902001001/")["ETag"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/c/379902001001/")["ETag"]
    assert chinese != english
    assert client.get("/c/379902001001/", HTTP_IF_NONE_MATCH=english).status_code == 304
    assert {"/jsi18n/zh-hans/", "/jsi18n/en/"} <= set(shell_urls())


@pytest.mark.django_db
def test_phone_script_catalog_per_language(client):
    chinese = client.get("/jsi18n/zh-hans/")
    assert chinese.status_code == 200 and chinese["Content-Type"].startswith("text/javascript")
    body = chinese.content.decode()
    assert '"(1 new item in this menu)"' in body  # the project's djangojs catalog comes along
    assert "django.pluralidx" in body and "nplurals" not in body
    assert chinese["Content-Language"] == "zh-hans"
    assert client.get("/jsi18n/zh-hans/", HTTP_IF_NONE_MATCH=chinese["ETag"]).status_code == 304
    english = client.get("/jsi18n/en/")
    assert english["Content-Language"] == "en" and english["ETag"] != chinese["ETag"]
    assert '"(1 new item in this menu)"' not in english.content.decode()
    assert client.get("/jsi18n/fr/").status_code == 404


def test_wagtail_strings_in_chinese_and_english(client, demo):
    client.force_login(get_user_model().objects.get(username="admin"))
    home = client.get("/admin/").content.decode()
    assert "搜索所有页面…" in home and "Search all pages…" not in home
    assert "editor guide" not in home  # the sidebar's help menu (its JSON escapes the Chinese)
    profile = UserProfile.get_for_user(get_user_model().objects.get(username="admin"))
    profile.preferred_language = "en"  # account → 偏好设置 → 语言
    profile.save()
    english = client.get("/admin/").content.decode()
    assert '<html lang="en"' in english and "Search all pages…" in english and "搜索所有页面" not in english


def test_admin_preference_offers_our_two_languages(client, demo):
    client.force_login(get_user_model().objects.get(username="bureau"))
    page = client.get("/admin/account/").content.decode()
    options = page[page.index('name="locale-preferred_language"'):].split("</select>")[0]
    assert 'value="zh-hans"' in options and "简体中文" in options and 'value="en"' in options
    assert "English" in options and 'value="fr"' not in options
    assert 'name="locale-current_time_zone"' not in page  # every time is Shandong's


def test_our_admin_screens_follow_wagtails_preference(client, demo, round_):
    user = get_user_model().objects.get(username="bureau")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    page = client.get("/admin/coverage/").content.decode()
    assert '<html lang="en"' in page and "Skip to main content" in page


def test_zh_hans_catalog_translates_exactly_wagtails_strings():
    """locale/zh_Hans: our msgids are the Chinese itself (left empty); Wagtail's English ones all get Chinese."""
    for name in ("django.po", "djangojs.po"):
        for entry in polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / name)):
            if HAN.search(entry.msgid):
                assert not entry.msgstr, entry.msgid
            else:
                translated = entry.msgstr or all(entry.msgstr_plural.values())
                assert translated and "fuzzy" not in entry.flags, entry.msgid


# Values a person types into a roster file as they are (its 状态 column), quoted in the English errors and set as
# machine text (<code>) in the English help.
TYPED_VALUES = ("“在岗”", "“离岗”", "<code>在岗</code>", "<code>离岗</code>")


def test_english_catalog_holds_no_chinese():
    for name in ("django.po", "djangojs.po"):
        for entry in polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / name)):
            text = entry.msgstr
            for value in TYPED_VALUES:
                text = text.replace(value, "")
            assert not HAN.search(text), entry.msgid


@pytest.mark.django_db
def test_no_gravatar(demo):
    user = get_user_model().objects.get(username="admin")
    user.email = "admin@example.cn"
    assert avatar_url(user).startswith("/static/wagtailadmin/images/default-user-avatar.png")


@pytest.mark.django_db
def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_gettext_resolves_zh_hans_from_the_zh_Hans_directory():
    with translation.override("zh-hans"):
        assert translation.gettext("Search all pages…") == "搜索所有页面…"
    with translation.override("en"):
        assert translation.gettext("Search all pages…") == "Search all pages…"


def test_wagtails_help_menu_follows_each_readers_language(client, demo):
    """Wagtail formats "What's new in Wagtail 8.0" once, in the first request's language (smartsite.wagtail_hooks)."""
    import json
    import re

    def help_labels(page: str) -> str:
        props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', page, re.S).group(1)
        return json.dumps(json.loads(props), ensure_ascii=False)

    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    assert "Wagtail 8.0 的新功能" in help_labels(client.get("/admin/").content.decode())  # the first request
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "en"
    profile.save()
    english = help_labels(client.get("/admin/").content.decode())
    assert "What's new in Wagtail 8.0" in english and "的新功能" not in english


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_remembered_lookups_answer_as_the_catalog_chain_does(language):
    """smartsite.i18n.remember_lookups: every msgid of our catalog (hit or miss) and a few of Django's and Wagtail's
    give what the unremembered chain gives, asked twice (the second answer is the remembered one)."""
    from django.utils.translation import trans_real

    from smartsite.i18n import remember_lookups

    catalog = remember_lookups(language)
    assert remember_lookups(language) is catalog and "gettext" in vars(catalog)
    chain = type(catalog)
    msgids = [entry.msgid for entry in polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
              if not entry.msgid_plural]
    msgids += ["Log out", "Page", "This field is required.", "不在任何目录中的文字"]
    for msgid in msgids:
        assert catalog.gettext(msgid) == catalog.gettext(msgid) == chain.gettext(catalog, msgid), msgid
    for n in (0, 1, 2, 25):
        for singular, plural in (("%(count)s item", "%(count)s items"), ("已上传%(n)s张照片", "已上传%(n)s张照片")):
            assert catalog.ngettext(singular, plural, n) == chain.ngettext(catalog, singular, plural, n)
    assert trans_real.translation(language) is catalog


def test_gettext_is_imported_only_under_names_makemessages_extracts():
    """makemessages reads `_`, `gettext`, `gettext_lazy`, `ngettext`… by name: a string marked through another alias
    (`gettext_lazy as _lazy`) never reaches the catalog and shows in Chinese to every English reader."""
    alias = re.compile(r"from django\.utils\.translation import .*\b(\w*gettext\w*) as (?!_\b)(\w+)")
    offenders = [f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
                 for path in Path(settings.BASE_DIR).rglob("*.py")
                 if not {".venv", "node_modules", "var"} & set(path.relative_to(settings.BASE_DIR).parts)
                 for match in alias.finditer(path.read_text(encoding="utf-8"))]
    assert not offenders, offenders
