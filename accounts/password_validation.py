"""Password rules of 等保 2.0 level 3 (口令复杂度): at least 10 characters from at least 3 character classes.

Messages are in the reader's language (Chinese unless the person chose English), like the rest of the user form.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CLASSES = {
    gettext_lazy("小写字母"): lambda c: c.islower(),
    gettext_lazy("大写字母"): lambda c: c.isupper(),
    gettext_lazy("数字"): lambda c: c.isdigit(),
    gettext_lazy("符号"): lambda c: not c.isalnum(),  # punctuation, spaces, full-width symbols
}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, with the level-3 default and our own wording."""

    def __init__(self, min_length: int = 10):
        super().__init__(min_length)

    def get_error_message(self):
        return _("密码太短，至少需要 %(n)s 个字符。") % {"n": self.min_length}

    def get_help_text(self):
        return _("密码至少 %(n)s 个字符。") % {"n": self.min_length}


class CharacterClassesValidator:
    """Mixed character classes: at least `min_classes` of lowercase, uppercase, digits and symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = [str(name) for name, test in CLASSES.items() if any(test(c) for c in password)]
        if len(found) < self.min_classes:
            # The list's separator is the language's own: 、 in Chinese, a comma in English.
            raise ValidationError(
                _("密码需包含小写字母、大写字母、数字、符号中的至少 %(n)s 类（当前只有：%(found)s）。") % {
                    "n": self.min_classes, "found": _("、").join(found) or _("无")},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("密码需包含小写字母、大写字母、数字、符号中的至少 %(n)s 类。") % {"n": self.min_classes}
