from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView

from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.forms import apply_errors
from zhaoshang.core.permissions import CapabilityObjectMixin, CapabilityRequiredMixin
from zhaoshang.core.roles import Cap, Role

from . import selectors, services, two_factor
from .forms import (
    LoginForm,
    OrgUnitForm,
    PasswordChangeForm,
    RoleForm,
    TwoFactorCodeForm,
    UserCreateForm,
    UserEditForm,
)
from .middleware import password_expired


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(two_factor_roles=settings.ZHAOSHANG_TWO_FACTOR_ROLES, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        if two_factor.mark_session(self.request, form.get_user()):
            return redirect(two_factor.next_step_url(self.request, next_url=self.get_redirect_url()))
        return response


class TwoFactorStepMixin(CapabilityRequiredMixin):
    """The pages of the second step: only a session that still owes its code has business here."""

    form_class = TwoFactorCodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not two_factor.pending(request):
            return redirect(self.next_url())
        return super().dispatch(request, *args, **kwargs)

    def next_url(self) -> str:
        candidate = self.request.POST.get("next") or self.request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return candidate if candidate and safe else reverse("core:home")

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)


class TwoFactorVerifyView(TwoFactorStepMixin, FormView):
    """双因素认证: the 6-digit code of the authenticator app, or one recovery code (used up)."""

    template_name = "accounts/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if two_factor.pending(request) and two_factor.confirmed_device(request.user) is None:
            return redirect(two_factor.next_step_url(request, next_url=self.next_url()))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            two_factor.verify(request=self.request, user=self.request.user, code=form.cleaned_data["code"])
        except two_factor.TooManyFailures as exc:
            apply_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        except ValidationFailed as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        return redirect(self.next_url())


class TwoFactorEnrolView(TwoFactorStepMixin, FormView):
    """绑定身份验证器: a QR code and its secret (shown once: each visit makes a new secret), confirmed by a code;
    then the ten recovery codes, shown once."""

    template_name = "accounts/two_factor_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        if two_factor.pending(request) and two_factor.confirmed_device(request.user) is not None:
            return redirect(two_factor.next_step_url(request, next_url=self.next_url()))
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["code"].widget.attrs["placeholder"] = "身份验证器上的 6 位数字"
        return form

    def get(self, request, *args, **kwargs):
        device = two_factor.enrol_start(user=request.user)
        return self.render_to_response(
            self.get_context_data(qr_svg=two_factor.qr_svg(device), secret=two_factor.secret_of(device))
        )

    def form_valid(self, form):
        try:
            codes = two_factor.enrol_confirm(
                request=self.request, user=self.request.user, code=form.cleaned_data["code"]
            )
        except two_factor.TooManyFailures as exc:
            apply_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form, retry=True), status=429)
        except ValidationFailed as exc:
            apply_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form, retry=True))
        return self.render_to_response(self.get_context_data(recovery_codes=codes))


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
            two_factor_required=two_factor.required_for(self.request.user),
            two_factor_enrolled=two_factor.confirmed_device(self.request.user) is not None,
            recovery_codes_left=two_factor.recovery_codes_left(self.request.user),
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
        enrolled = two_factor.enrolled_user_ids([u.pk for u in page])
        for user in page:
            user.is_locked = user.username in locked
            user.has_two_factor = user.pk in enrolled
        return super().get_context_data(
            page_obj=page,
            roles=Role.choices,
            units=selectors.org_unit_tree(actor=self.request.user),
            q=params.get("q", ""),
            role=params.get("role", ""),
            org_unit=org_unit or "",
            can_manage=self.request.user.has_capability(Cap.MANAGE_USERS),
            can_assign=self.request.user.has_capability(Cap.ASSIGN_ROLES),
            can_reset_two_factor=self.request.user.has_capability(Cap.RESET_TWO_FACTOR),
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


class UserTwoFactorResetView(CapabilityRequiredMixin, View):
    """安全管理员: deletes a user's authenticator binding and recovery codes; the user enrols again."""

    capability = Cap.RESET_TWO_FACTOR
    http_method_names = ["post"]

    def post(self, request, pk):
        user = selectors.user_get(actor=request.user, pk=pk)
        two_factor.reset(actor=request.user, user=user, request=request)
        messages.success(request, f"已重置「{user.username}」的双因素认证，其下次登录时需重新绑定身份验证器")
        return redirect(reverse("accounts:user_list"))


class UserUnlockView(CapabilityRequiredMixin, View):
    capability = Cap.UNLOCK_ACCOUNTS
    http_method_names = ["post"]

    def post(self, request, pk):
        user = selectors.user_get(actor=request.user, pk=pk)
        removed = services.user_unlock(actor=request.user, user=user)
        messages.success(request, f"已解除「{user.username}」的登录锁定（清除 {removed} 条失败记录）")
        return redirect(reverse("accounts:user_list"))
