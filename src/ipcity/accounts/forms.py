from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续多次输入错误，账户将被暂时锁定。",
        "inactive": "该账户已停用，请联系系统管理员。",
    }


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100, help_text="如：电商平台投诉接口、省级系统对接")
    days = forms.IntegerField(label="有效天数", min_value=1, max_value=730, initial=365)
