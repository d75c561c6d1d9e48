"""Compiling the catalogs (site/smartsite/catalogs.py: msgfmt, or polib without it) and the project's
makemessages defaults (sorted, no locations, no creation date), on small catalogs made here."""

import gettext
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from smartsite import catalogs

PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#, python-format
msgid "已保存 %(time)s"
msgstr "{saved}"

msgid "退出登录"
msgstr "Log out"

#, fuzzy
msgid "审核"
msgstr "Guess"

msgctxt "审核结果"
msgid "通过"
msgstr "Passed"
'''


def catalog(tmp_path: Path, saved: str = "Saved %(time)s") -> Path:
    po = tmp_path / "en" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO.replace("{saved}", saved), encoding="utf-8")
    return po


def translations(po: Path) -> gettext.GNUTranslations:
    with po.with_suffix(".mo").open("rb") as mo:
        return gettext.GNUTranslations(mo)


@pytest.mark.parametrize("tool", ["msgfmt", "polib"])
def test_compiles_with_either_tool(tmp_path, monkeypatch, tool):
    if tool == "msgfmt" and not shutil.which("msgfmt"):
        pytest.skip("GNU gettext is not installed")
    if tool == "polib":
        monkeypatch.setattr(catalogs.shutil, "which", lambda name: None)
    po = catalog(tmp_path)
    done, used = catalogs.compile_catalogs(tmp_path)
    assert done == [po] and used == tool
    t = translations(po)
    assert t.gettext("已保存 %(time)s") == "Saved %(time)s" and t.gettext("退出登录") == "Log out"
    assert t.gettext("审核") == "审核"  # fuzzy entries are not compiled
    assert t.pgettext("审核结果", "通过") == "Passed"
    assert catalogs.compile_catalogs(tmp_path)[0] == []  # up to date: nothing to do


def test_msgfmt_refuses_a_lost_placeholder_in_chinese(tmp_path, capsys):
    if not shutil.which("msgfmt"):
        pytest.skip("GNU gettext is not installed")
    catalog(tmp_path, saved="Saved")
    assert catalogs.main([str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert "语言目录编译失败" in error and "django.po" in error
    assert not (tmp_path / "en" / "LC_MESSAGES" / "django.mo").exists()


def test_without_msgfmt_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(catalogs.shutil, "which", lambda name: None)
    catalog(tmp_path)
    assert catalogs.main([str(tmp_path), "--force"]) == 0
    assert "polib" in capsys.readouterr().out


def test_project_catalogs_compile():
    """What `make setup` compiles: every catalog in locale/ (the test session compiled them already)."""
    for po in sorted(catalogs.LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        assert po.with_suffix(".mo").stat().st_mtime >= po.stat().st_mtime, po


def test_makemessages_defaults(tmp_path, monkeypatch, settings):
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext is not installed")
    (tmp_path / "locale").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "page.html").write_text('{% load i18n %}{% translate "退出登录" %}{% translate "保存" %}',
                                        encoding="utf-8")
    (tmp_path / "tests" / "page.html").write_text('{% load i18n %}{% translate "测试专用" %}', encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["zh_Hans"], verbosity=0)
    text = (tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert "#:" not in text and "POT-Creation-Date" not in text and "测试专用" not in text
    assert text.index('msgid "保存"') < text.index('msgid "退出登录"')  # sorted by msgid
    assert "nplurals=1; plural=0;" in text
