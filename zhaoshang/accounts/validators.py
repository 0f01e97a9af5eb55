"""Password rules of SECURITY.md item 1 beyond Django's own validators (length, common, numeric)."""

import string

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """At least ``min_classes`` of: lower case, upper case, digits, symbols (等保 composition rule)."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"至少包含小写字母、大写字母、数字、符号中的 {self.min_classes} 类。"


class NotUsernameValidator:
    """The password may not contain the username (in any case)."""

    def validate(self, password: str, user=None) -> None:
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError("密码不能包含用户名", code="password_contains_username")

    def get_help_text(self) -> str:
        return "不能包含用户名。"


class MinimumLengthValidator:
    """Like Django's, with the message in Chinese (Django's zh_Hans catalogue lacks this plural form)."""

    def __init__(self, min_length: int = 10) -> None:
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(f"密码长度太短，至少需要 {self.min_length} 个字符", code="password_too_short")

    def get_help_text(self) -> str:
        return f"至少 {self.min_length} 个字符。"
