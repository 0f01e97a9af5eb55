from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.forms import apply_errors
from zhaoshang.core.permissions import CapabilityObjectMixin, CapabilityRequiredMixin
from zhaoshang.core.roles import Cap, Role

from . import selectors, services
from .forms import LoginForm, OrgUnitForm, PasswordChangeForm, RoleForm, UserCreateForm, UserEditForm
from .middleware import password_expired


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(CapabilityRequiredMixin, FormView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(expired=password_expired(self.request.user), **kwargs)

    def form_valid(self, form):
        try:
            services.user_change_password(
                user=self.request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationFailed as exc:
            apply_errors(form, exc, rename={"password": "new_password"})
            return self.form_invalid(form)
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, "密码已修改")
        return redirect("core:home")


class ProfileView(CapabilityRequiredMixin, TemplateView):
    """个人设置: the account, and its API tokens (each revocable by its owner)."""

    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tokens=selectors.api_tokens_of(user=self.request.user),
            token_days=settings.ZHAOSHANG_API_TOKEN_DAYS,
            now=timezone.now(),
            **kwargs,
        )


class TokenRevokeView(CapabilityRequiredMixin, View):
    def post(self, request, pk):
        record = services.api_token_revoke(actor=request.user, pk=pk)
        messages.success(request, f"接口令牌 {record.prefix}… 已吊销")
        return redirect("accounts:profile")


# --- org units ------------------------------------------------------------------------------------


class OrgUnitListView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.MANAGE_ORG_UNITS
    template_name = "accounts/org_unit_list.html"

    def get_context_data(self, **kwargs):
        units = selectors.org_unit_tree(actor=self.request.user)
        counts = {}
        for user in selectors.user_list(actor=self.request.user).values_list("org_unit_id", flat=True):
            counts[user] = counts.get(user, 0) + 1
        for unit in units:
            unit.user_count = counts.get(unit.pk, 0)
        return super().get_context_data(units=units, **kwargs)


class OrgUnitEditView(CapabilityObjectMixin, FormView):
    capability = Cap.MANAGE_ORG_UNITS
    template_name = "accounts/org_unit_form.html"
    form_class = OrgUnitForm

    def get_object(self):
        pk = self.kwargs.get("pk")
        return selectors.org_unit_get(actor=self.request.user, pk=pk) if pk else None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        units = selectors.org_unit_list(actor=self.request.user)
        if self.object is not None:
            units = units.exclude(path__startswith=self.object.path)
        kwargs.update(instance=self.object, units=units)
        if self.object is None and "parent" in self.request.GET:
            kwargs["initial"] = {"parent": self.request.GET["parent"]}
        return kwargs

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if self.object is None:
                data.pop("is_active")
                unit = services.org_unit_create(actor=self.request.user, **data)
                messages.success(self.request, f"已新建单位「{unit.name}」")
            else:
                unit = services.org_unit_update(actor=self.request.user, unit=self.object, data=data)
                messages.success(self.request, f"已保存单位「{unit.name}」")
        except ValidationFailed as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        return redirect("accounts:org_unit_list")


# --- users ----------------------------------------------------------------------------------------


class UserListView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.VIEW_USERS
    template_name = "accounts/user_list.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        org_unit = params.get("org_unit")
        users = selectors.user_list(
            actor=self.request.user,
            q=params.get("q", "").strip(),
            role=params.get("role", ""),
            org_unit=int(org_unit) if org_unit and org_unit.isdigit() else None,
        )
        page = Paginator(users, 50).get_page(params.get("page"))
        locked = selectors.locked_usernames([u.username for u in page])
        for user in page:
            user.is_locked = user.username in locked
        return super().get_context_data(
            page_obj=page,
            roles=Role.choices,
            units=selectors.org_unit_tree(actor=self.request.user),
            q=params.get("q", ""),
            role=params.get("role", ""),
            org_unit=org_unit or "",
            can_manage=self.request.user.has_capability(Cap.MANAGE_USERS),
            can_assign=self.request.user.has_capability(Cap.ASSIGN_ROLES),
            **kwargs,
        )


class UserCreateView(CapabilityRequiredMixin, FormView):
    capability = Cap.MANAGE_USERS
    template_name = "accounts/user_form.html"
    form_class = UserCreateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "units": selectors.org_unit_list(actor=self.request.user)}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=self.request.user,
                username=data["username"],
                password=data["password"],
                org_unit=data["org_unit"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                title=data["title"],
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已创建账号「{user.username}」，请安全管理员为其分配角色")
        return redirect("accounts:user_list")


class UserEditView(CapabilityObjectMixin, FormView):
    capability = Cap.MANAGE_USERS
    template_name = "accounts/user_form.html"
    form_class = UserEditForm

    def get_object(self):
        return selectors.user_get(actor=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.object,
            "units": selectors.org_unit_list(actor=self.request.user),
        }

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.user_update(actor=self.request.user, user=self.object, data=data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已保存账号「{self.object.username}」")
        return redirect("accounts:user_list")


class UserRoleView(CapabilityObjectMixin, FormView):
    capability = Cap.ASSIGN_ROLES
    template_name = "accounts/user_role.html"
    form_class = RoleForm

    def get_object(self):
        return selectors.user_get(actor=self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        return {"role": self.object.role}

    def form_valid(self, form):
        try:
            user = services.user_assign_role(actor=self.request.user, user=self.object, role=form.cleaned_data["role"])
        except ValidationFailed as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已将「{user.display_name}」的角色设为：{user.get_role_display() or '未分配'}")
        return redirect("accounts:user_list")


class UserUnlockView(CapabilityRequiredMixin, View):
    capability = Cap.UNLOCK_ACCOUNTS
    http_method_names = ["post"]

    def post(self, request, pk):
        user = selectors.user_get(actor=request.user, pk=pk)
        removed = services.user_unlock(actor=request.user, user=user)
        messages.success(request, f"已解除「{user.username}」的登录锁定（清除 {removed} 条失败记录）")
        return redirect(reverse("accounts:user_list"))
