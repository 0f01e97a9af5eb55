"""系统管理 pages of the notify app: 消息渠道 (settings + test message), 投递记录, 默认通知渠道, 定时任务;
and the user's own 通知设置. Plain views: each is a settings form or a log, not a business record list."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.forms import apply_errors
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap, Role

from . import selectors
from .channels import ADAPTERS, ChannelError
from .forms import ChannelForm, ChannelTestForm, JobForm, PreferencesForm, RoleDefaultForm
from .models import Channel, Delivery, RoleDefault
from .services import config, jobs, outbox

# Roles that receive business notices (the administrators' own roles get system notices in the bell only).
NOTICE_ROLES = [Role.OFFICER, Role.DEPARTMENT, Role.LEADER, Role.EXPERT]


class ChannelListView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.MANAGE_SETTINGS
    template_name = "notify/channels.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=selectors.channel_overview(), **kwargs)


class ChannelEditView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.MANAGE_SETTINGS
    template_name = "notify/channel_edit.html"

    def dispatch(self, request, *args, channel, **kwargs):
        # the capability is checked first (by the mixin): an unknown channel is a 404 only for its holders
        if channel not in ADAPTERS and request.user.is_authenticated and self.allows(request.user):
            raise Http404
        self.channel = channel
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        stored = config.channel_config(self.channel)
        kwargs.setdefault("form", ChannelForm(config=stored))
        kwargs.setdefault("test_form", ChannelTestForm(channel=self.channel))
        return super().get_context_data(
            channel=Channel(self.channel), adapter=ADAPTERS[self.channel], stored=stored, **kwargs
        )

    def post(self, request):
        if request.POST.get("action") == "test":
            return self._test(request)
        form = ChannelForm(request.POST, config=config.channel_config(self.channel))
        if form.is_valid():
            enabled, options, secrets = form.split()
            try:
                config.channel_config_update(
                    actor=request.user, channel=self.channel, enabled=enabled, options=options, secrets=secrets
                )
            except ApplicationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已保存“{Channel(self.channel).label}”设置")
                return redirect("notify:channel_edit", channel=self.channel)
        return self.render_to_response(self.get_context_data(form=form))

    def _test(self, request):
        form = ChannelTestForm(request.POST, channel=self.channel)
        if form.is_valid():
            try:
                config.channel_test(actor=request.user, channel=self.channel, target=form.cleaned_data["target"])
            except ChannelError as exc:
                messages.error(request, f"测试消息发送失败：{exc}")
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "测试消息已发送，请到接收端查看")
        return self.render_to_response(self.get_context_data(test_form=form))


class DeliveryListView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.MANAGE_SETTINGS
    template_name = "notify/deliveries.html"

    def get_context_data(self, **kwargs):
        status, channel = self.request.GET.get("status", ""), self.request.GET.get("channel", "")
        page = Paginator(selectors.delivery_list(status=status, channel=channel), 50).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            page_obj=page,
            status=status,
            channel=channel,
            statuses=[("failed", "失败或结果未知"), *Delivery.Status.choices],
            channels=Channel.choices,
            **kwargs,
        )

    def post(self, request):
        if outbox.delivery_retry(actor=request.user, delivery_id=request.POST.get("delivery") or 0):
            messages.success(request, "已重新排队发送")
        return redirect(request.get_full_path())


class RoleDefaultsView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.MANAGE_SETTINGS
    template_name = "notify/role_defaults.html"

    def forms(self, data=None):
        stored = {d.role: d.channels for d in RoleDefault.objects.all()}
        return [
            (role, RoleDefaultForm(data, prefix=role.value, chosen=stored.get(role.value) or outbox.DEFAULT_CHANNELS))
            for role in NOTICE_ROLES
        ]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("role_forms", self.forms())
        return super().get_context_data(channels=list(Channel), **kwargs)

    def post(self, request):
        role_forms = self.forms(request.POST)
        chosen = request.POST.get("role")
        for role, form in role_forms:
            if role.value == chosen and form.is_valid():
                config.role_default_update(actor=request.user, role=role.value, channels=form.matrix())
                messages.success(request, f"已保存“{role.label}”的默认通知渠道")
                return redirect("notify:role_defaults")
        return self.render_to_response(self.get_context_data(role_forms=role_forms))


class JobListView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.MANAGE_SETTINGS
    template_name = "notify/jobs.html"

    def get_context_data(self, **kwargs):
        jobs.sync_jobs()
        rows = selectors.job_list()
        for row in rows:
            row.form = JobForm(prefix=row.name, initial={"schedule": row.schedule, "enabled": row.enabled})
        return super().get_context_data(rows=rows, **kwargs)

    def post(self, request):
        name = request.POST.get("job", "")
        try:
            if request.POST.get("action") == "run":
                jobs.job_run_soon(actor=request.user, name=name)
                messages.success(request, "已安排立即运行，后台任务进程将在几秒内执行")
            else:
                form = JobForm(request.POST, prefix=name)
                if not form.is_valid():
                    messages.error(request, "请填写时间")
                    return redirect("notify:jobs")
                jobs.job_update(
                    actor=request.user,
                    name=name,
                    schedule=form.cleaned_data["schedule"],
                    enabled=form.cleaned_data["enabled"],
                )
                messages.success(request, "已保存")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("notify:jobs")


class PreferencesView(LoginRequiredMixin, TemplateView):
    template_name = "notify/preferences.html"

    def form(self, data=None):
        profile = config.profile_for(self.request.user)
        defaults = RoleDefault.objects.filter(role=self.request.user.role).first()
        chosen = (
            profile.channels
            if profile.channels is not None
            else (defaults.channels if defaults else outbox.DEFAULT_CHANNELS)
        )
        return PreferencesForm(data, profile=profile, chosen=chosen)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        return super().get_context_data(channels=list(Channel), **kwargs)

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                config.profile_update(actor=request.user, data=form.data_for_service())
            except ApplicationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存通知设置")
                return redirect("notify:preferences")
        return self.render_to_response(self.get_context_data(form=form))
