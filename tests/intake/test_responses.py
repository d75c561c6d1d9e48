"""One JSON refusal for the pages' scripts ({ok: false, message, …}), written in one place and used everywhere."""

import json
from pathlib import Path

from django.test import RequestFactory

from intake.responses import json_refusal, wants_json

ROOT = Path(__file__).resolve().parents[2]


def test_the_refusal_keeps_chinese_readable_and_carries_extras():
    response = json_refusal("登录已失效", 401, code="login", login="/login/")
    assert response.status_code == 401 and "登录已失效".encode() in response.content
    assert json.loads(response.content) == {"ok": False, "message": "登录已失效", "code": "login", "login": "/login/"}


def test_a_script_is_told_from_a_navigation_by_what_it_accepts():
    factory = RequestFactory()
    assert wants_json(factory.get("/", headers={"accept": "application/json"}))
    assert not wants_json(factory.get("/", headers={"accept": "text/html"}))


def test_no_other_module_writes_its_own_refusal():
    packages = [d for d in ROOT.iterdir() if d.is_dir() and not d.is_symlink() and (d / "__init__.py").exists()
                or d.name == "site"]
    writers = sorted(str(path.relative_to(ROOT)) for package in packages if package.name != "tests"
                     for path in package.rglob("*.py") if '"ok": False' in path.read_text(encoding="utf-8"))
    assert writers == ["intake/responses.py"]
