from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts

from zhaoshang.core import parsers
from zhaoshang.core.forms import TablerFormMixin
from zhaoshang.core.roles import Role

from .models import OrgUnit, User


class LoginForm(TablerFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。连续失败 5 次账号将被锁定 15 分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["username"].widget.attrs.update({"placeholder": "请输入用户名", "autocomplete": "username"})
        self.fields["password"].label = "密码"
        self.fields["password"].widget.attrs.update({"placeholder": "请输入密码", "autocomplete": "current-password"})


class PasswordChangeForm(TablerFormMixin, forms.Form):
    old_password = forms.CharField(
        label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="<br>".join(password_validators_help_texts()),
    )
    new_password2 = forms.CharField(
        label="确认新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


class OrgUnitForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "short_name", "code", "kind", "parent", "sort_order", "is_active", "is_coordinating"]

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["parent"].label_from_instance = lambda u: ("　" * u.depth) + u.name
        self.fields["parent"].empty_label = "（无：新地区）"


class UserCreateForm(TablerFormMixin, forms.ModelForm):
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="用户首次登录时必须修改。" + "".join(password_validators_help_texts()),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "org_unit", "title", "phone", "email"]

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["org_unit"].label_from_instance = lambda u: ("　" * u.depth) + u.name
        self.fields["full_name"].required = True

    def clean_phone(self):
        return parsers.form_clean(parsers.phone)(self.cleaned_data.get("phone"))


class UserEditForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "org_unit", "title", "phone", "email", "is_active"]
        labels = {"is_active": "账号启用"}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["org_unit"].label_from_instance = lambda u: ("　" * u.depth) + u.name

    def clean_phone(self):
        return parsers.form_clean(parsers.phone)(self.cleaned_data.get("phone"))


class RoleForm(TablerFormMixin, forms.Form):
    role = forms.ChoiceField(
        label="角色",
        choices=[("", "（未分配）"), *Role.choices],
        required=False,
        help_text="一个账号只能担任一个角色：系统管理员、安全管理员、审计管理员三员分立，且不担任业务角色。",
    )


class TwoFactorCodeForm(TablerFormMixin, forms.Form):
    code = forms.CharField(
        label="动态口令",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "placeholder": "6 位数字或恢复码", "autofocus": True}
        ),
    )
