"""Forms of the notify pages: a channel's settings (built from the adapter's fields), a job's schedule and a
user's preferences (kinds × channels)."""

from django import forms

from zhaoshang.core.forms import TablerFormMixin

from .channels import ADAPTERS
from .models import Channel, ChannelConfig, Kind, NotifyProfile

# The kinds a user or the administrator chooses channels for (system notices reach the bell only).
CHOOSABLE_KINDS = [k for k in Kind if k != Kind.SYSTEM]


def _style(field: forms.Field) -> None:
    """Tabler's classes and the accessible name for a field added after the form was built."""
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if css not in widget.attrs.get("class", ""):
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    widget.attrs.setdefault("aria-label", str(field.label))


class ChannelForm(forms.Form):
    """A channel's settings. Secrets are never rendered back: a blank secret keeps the stored one."""

    enabled = forms.BooleanField(label="启用此渠道", required=False)
    per_minute = forms.IntegerField(
        label="每分钟最多发送", min_value=1, max_value=600, required=False, help_text="留空则用渠道默认值"
    )

    def __init__(self, *args, config: ChannelConfig, **kwargs):
        self.adapter = ADAPTERS[config.channel]
        initial = {"enabled": config.enabled, "per_minute": config.options.get("per_minute"), **config.options}
        super().__init__(*args, initial=initial, **kwargs)
        saved = set(config.secret_names)
        for spec in self.adapter.fields:
            self.fields[spec.name] = self._field(spec, saved)
        self.order_fields(["enabled", *[f.name for f in self.adapter.fields], "per_minute"])
        for field in self.fields.values():
            _style(field)

    @staticmethod
    def _field(spec, saved: set[str]) -> forms.Field:
        if spec.secret:
            hint = "已保存，不再显示；留空保持不变" if spec.name in saved else "尚未保存"
            return forms.CharField(
                label=spec.label,
                required=False,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                help_text=f"{spec.help + '。' if spec.help else ''}{hint}",
            )
        if spec.kind == "bool":
            return forms.BooleanField(label=spec.label, required=False, help_text=spec.help)
        if spec.kind == "int":
            return forms.IntegerField(
                label=spec.label, required=False, min_value=1, max_value=65535, help_text=spec.help
            )
        if spec.kind == "choice":
            return forms.ChoiceField(label=spec.label, choices=spec.choices, required=False, help_text=spec.help)
        return forms.CharField(label=spec.label, required=False, max_length=300, help_text=spec.help)

    def split(self) -> tuple[bool, dict, dict]:
        """(enabled, options, new secrets) from the cleaned data."""
        data = self.cleaned_data
        options = {f.name: data.get(f.name) for f in self.adapter.fields if not f.secret}
        options = {k: v for k, v in options.items() if v not in (None, "")}
        if data.get("per_minute"):
            options["per_minute"] = data["per_minute"]
        secrets = {f.name: data.get(f.name) or "" for f in self.adapter.fields if f.secret}
        return bool(data.get("enabled")), options, secrets


class ChannelTestForm(TablerFormMixin, forms.Form):
    target = forms.CharField(label="接收方", max_length=120, required=False)

    def __init__(self, *args, channel: str, **kwargs):
        super().__init__(*args, **kwargs)
        adapter = ADAPTERS[channel]
        self.fields["target"].label = adapter.test_target_label or "接收方"
        self.fields["target"].widget.attrs["aria-label"] = self.fields["target"].label
        if not adapter.personal:
            self.fields["target"].widget = forms.HiddenInput()


class JobForm(TablerFormMixin, forms.Form):
    schedule = forms.CharField(
        label="时间（cron 表达式）",
        max_length=64,
        help_text="分 时 日 月 周，例如 0 7 * * *",
        widget=forms.TextInput(attrs={"size": 14, "class": "w-auto"}),
    )
    enabled = forms.BooleanField(label="启用", required=False)


def channel_field_name(kind: str, channel: str) -> str:
    return f"ch_{kind}_{channel}"


class ChannelMatrixMixin:
    """Checkboxes kind × channel, named ``ch_<kind>_<channel>``."""

    def add_matrix(self, chosen: dict[str, list[str]]) -> None:
        for kind in CHOOSABLE_KINDS:
            for channel in Channel:
                self.fields[channel_field_name(kind, channel)] = forms.BooleanField(
                    label=f"{kind.label}：{channel.label}",
                    required=False,
                    initial=channel in chosen.get(kind, []),
                    widget=forms.CheckboxInput(
                        attrs={"class": "form-check-input", "aria-label": f"{kind.label}：{channel.label}"}
                    ),
                )

    def matrix(self) -> dict[str, list[str]]:
        return {
            kind.value: [c.value for c in Channel if self.cleaned_data.get(channel_field_name(kind, c))]
            for kind in CHOOSABLE_KINDS
        }

    def rows(self):
        return [(kind, [self[channel_field_name(kind, c)] for c in Channel]) for kind in CHOOSABLE_KINDS]


class RoleDefaultForm(ChannelMatrixMixin, forms.Form):
    def __init__(self, *args, chosen: dict[str, list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.add_matrix(chosen)


class PreferencesForm(ChannelMatrixMixin, TablerFormMixin, forms.Form):
    own = forms.BooleanField(label="自行选择各类通知的渠道（不勾选则使用管理员设置的默认渠道）", required=False)
    digest = forms.BooleanField(label="每日汇总：非紧急消息每天早上汇总发送一次", required=False)
    quiet_start = forms.TimeField(label="免打扰开始", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_end = forms.TimeField(label="免打扰结束", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    zzd_account_id = forms.CharField(
        label="浙政钉账号 ID", max_length=64, required=False, help_text="用于接收浙政钉工作通知"
    )

    def __init__(self, *args, profile: NotifyProfile, chosen: dict[str, list[str]], **kwargs):
        initial = {
            "own": profile.channels is not None,
            "digest": profile.digest,
            "quiet_start": profile.quiet_start,
            "quiet_end": profile.quiet_end,
            "zzd_account_id": profile.zzd_account_id,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.add_matrix(chosen)

    def data_for_service(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("digest", "quiet_start", "quiet_end", "zzd_account_id")}
        data["channels"] = self.matrix() if self.cleaned_data["own"] else None
        return data
