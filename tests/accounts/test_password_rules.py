"""Password rules (口令复杂度): at least 10 characters, at least 3 of lowercase/uppercase/digits/symbols, Chinese
messages; Django's similarity and common-password checks stay."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError

from devtools.demo import DEMO_USERS


def errors(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.mark.parametrize("username", list(DEMO_USERS))
def test_the_demo_passwords_still_pass(username):
    password = DEMO_USERS[username][0]
    assert errors(password, get_user_model()(username=username)) == []


@pytest.mark.parametrize("password", ["Abcdef-123", "zhsq 2026 ok", "VERIFIER#2026", "Right-pass-2026"])
def test_good_passwords(password):
    assert errors(password) == []


def test_too_short():
    assert errors("Ab-12345") == ["密码太短，至少需要 10 个字符。"]


@pytest.mark.parametrize("password,found", [("abcdefghijk", "小写字母"), ("abcdefgh1234", "小写字母、数字"),
                                            ("ABCDEFGH-IJK", "大写字母、符号"), ("1234567890123", "数字")])
def test_too_few_character_classes(password, found):
    messages = errors(password)
    assert f"密码需包含小写字母、大写字母、数字、符号中的至少 3 类（当前只有：{found}）。" in messages


def test_the_existing_rules_stay():
    assert any("常见" in m for m in errors("feder_1941"))  # long and mixed enough, but on Django's common list
    user = get_user_model()(username="zhangwei-2026", first_name="Zhangwei")
    assert errors("Zhangwei-2026", user)  # too similar to the username


def test_help_texts_are_chinese():
    texts = password_validators_help_texts()
    assert "密码至少 10 个字符。" in texts
    assert "密码需包含小写字母、大写字母、数字、符号中的至少 3 类。" in texts


def test_the_admin_refuses_a_weak_password(client, db):
    root = get_user_model().objects.create_superuser("root", password="Right-pass-2026")
    client.force_login(root)
    response = client.post("/admin/users/new/", {
        "username": "newstaff", "email": "newstaff@example.cn", "first_name": "新", "last_name": "员工",
        "password1": "abcdefgh12", "password2": "abcdefgh12",
    })
    assert response.status_code == 200
    assert "密码需包含小写字母、大写字母、数字、符号中的至少 3 类" in response.content.decode()
    assert not get_user_model().objects.filter(username="newstaff").exists()
