from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError


class ChineseMinimumLengthValidator(MinimumLengthValidator):
    """Django 5.2's zh-hans catalogue lacks the current wording of this message; say it in Chinese ourselves."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"密码太短，至少需要 {self.min_length} 个字符", code="password_too_short")

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"


class CharacterClassValidator:
    """等保 password complexity: at least three of upper case, lower case, digits and symbols."""

    def validate(self, password, user=None):
        classes = sum([
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ])
        if classes < 3:
            raise ValidationError("密码须至少包含大写字母、小写字母、数字、符号中的三类", code="password_too_simple")

    def get_help_text(self):
        return "密码须至少包含大写字母、小写字母、数字、符号中的三类。"
