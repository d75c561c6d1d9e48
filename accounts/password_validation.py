"""Password rules of 等保 2.0 level 3 (口令复杂度): at least 10 characters from at least 3 character classes.

Messages are Chinese whatever language the admin is shown in, since these are the rules staff are told.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

CLASSES = {
    "小写字母": lambda c: c.islower(),
    "大写字母": lambda c: c.isupper(),
    "数字": lambda c: c.isdigit(),
    "符号": lambda c: not c.isalnum(),  # punctuation, spaces, full-width symbols
}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, with the level-3 default and a Chinese message."""

    def __init__(self, min_length: int = 10):
        super().__init__(min_length)

    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少 {self.min_length} 个字符。"


class CharacterClassesValidator:
    """Mixed character classes: at least `min_classes` of lowercase, uppercase, digits and symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = [name for name, test in CLASSES.items() if any(test(c) for c in password)]
        if len(found) < self.min_classes:
            raise ValidationError(
                f"密码需包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类"
                f"（当前只有：{'、'.join(found) or '无'}）。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码需包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。"
