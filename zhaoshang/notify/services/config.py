"""Channel settings (secrets encrypted, never shown again), the test message, role defaults and a user's
own preferences. Channel settings and role defaults are the 系统管理员's (``Cap.MANAGE_SETTINGS``)."""

import json
from typing import Any

from django.db import transaction

from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.crypto import sm4_decrypt, sm4_encrypt
from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap, Role

from ..channels import ADAPTERS, OutgoingMessage
from ..models import Channel, ChannelConfig, Kind, NotifyProfile, RoleDefault


def _require_admin(actor) -> None:
    if actor is None or not actor.has_capability(Cap.MANAGE_SETTINGS):
        raise PermissionDenied()


def channel_config(channel: str) -> ChannelConfig:
    """The stored row, or an unsaved disabled one."""
    return ChannelConfig.objects.filter(channel=channel).first() or ChannelConfig(channel=channel)


def _secrets(config: ChannelConfig) -> dict[str, str]:
    return json.loads(sm4_decrypt(config.secrets_cipher)) if config.secrets_cipher else {}


def settings_of(config: ChannelConfig) -> dict[str, Any]:
    """Options and decrypted secrets together: what an adapter takes. Worker-side only, never rendered."""
    return {**config.options, **_secrets(config)}


def enabled_settings() -> dict[str, dict[str, Any]]:
    return {c.channel: settings_of(c) for c in ChannelConfig.objects.filter(enabled=True)}


def channel_config_update(
    *, actor, channel: str, enabled: bool, options: dict[str, Any], secrets: dict[str, str], clear: list[str] = ()
) -> ChannelConfig:
    """Save a channel's settings. A secret left blank keeps its stored value; ``clear`` names secrets to
    remove. Secrets are stored SM4-GCM encrypted and stay out of the change log (only their names show)."""
    _require_admin(actor)
    adapter = ADAPTERS.get(channel)
    if adapter is None:
        raise ValidationFailed("未知的消息渠道")
    with transaction.atomic():
        current = ChannelConfig.objects.select_for_update().filter(channel=channel).first()
        before = snapshot(current) if current else None
        config = current or ChannelConfig(channel=channel)
        stored = {k: v for k, v in _secrets(config).items() if k not in clear}
        stored.update({k: v for k, v in secrets.items() if v})
        missing = [f.label for f in adapter.fields if f.required and not (options.get(f.name) or stored.get(f.name))]
        if enabled and missing:
            raise ValidationFailed("启用前请填写：" + "、".join(missing))
        config.enabled = enabled
        config.options = options
        config.secrets_cipher = sm4_encrypt(json.dumps(stored)) if stored else ""
        config.secret_names = sorted(stored)
        config.save()
        log_change(
            actor=actor,
            obj=config,
            action=ObjectChange.Action.UPDATE if before else ObjectChange.Action.CREATE,
            before=before,
            after=snapshot(config),
        )
    return config


def channel_test(*, actor, channel: str, target: str = "") -> None:
    """Send a test message with the stored settings (enabled or not); raises ``ChannelError`` with the reason."""
    _require_admin(actor)
    adapter = ADAPTERS[channel]
    if adapter.personal and not target:
        raise ValidationFailed(f"请填写{adapter.test_target_label}")
    message = OutgoingMessage(
        title="智慧招商平台测试消息",
        body=f"这是一条来自“{Channel(channel).label}”渠道设置页的测试消息，收到即表示配置正确。",
        link=_site("/"),
        dedupe_key=f"test:{channel}",
        kind="test",
    )
    adapter.send(settings_of(channel_config(channel)), message, target or "group")


def _site(path: str) -> str:
    from .outbox import absolute  # cycle: outbox imports this module for the enabled settings

    return absolute(path)


def _clean_channels(channels: dict) -> dict[str, list[str]]:
    kinds, keys = set(Kind.values), set(Channel.values)
    return {k: sorted(set(v) & keys) for k, v in channels.items() if k in kinds}


def role_default_update(*, actor, role: str, channels: dict[str, list[str]]) -> RoleDefault:
    _require_admin(actor)
    if role not in Role.values:
        raise ValidationFailed("未知的角色")
    with transaction.atomic():
        current = RoleDefault.objects.select_for_update().filter(role=role).first()
        before = snapshot(current) if current else None
        row = current or RoleDefault(role=role)
        row.channels = _clean_channels(channels)
        row.save()
        log_change(
            actor=actor,
            obj=row,
            action=ObjectChange.Action.UPDATE if before else ObjectChange.Action.CREATE,
            before=before,
            after=snapshot(row),
        )
    return row


def profile_for(user) -> NotifyProfile:
    return NotifyProfile.objects.filter(user=user).first() or NotifyProfile(user=user)


def profile_update(*, actor, data: dict[str, Any]) -> NotifyProfile:
    """A user's own preferences (``channels`` None = follow the role default)."""
    if (data.get("quiet_start") is None) != (data.get("quiet_end") is None):
        raise ValidationFailed("免打扰时段需同时填写开始和结束时间", fields={"quiet_end": ["请同时填写开始和结束时间"]})
    with transaction.atomic():
        current = NotifyProfile.objects.select_for_update().filter(user=actor).first()
        before = snapshot(current) if current else None
        profile = current or NotifyProfile(user=actor)
        for name in ("digest", "quiet_start", "quiet_end", "zzd_account_id"):
            if name in data:
                setattr(profile, name, data[name])
        if "channels" in data:
            profile.channels = None if data["channels"] is None else _clean_channels(data["channels"])
        profile.save()
        log_change(
            actor=actor,
            obj=profile,
            action=ObjectChange.Action.UPDATE if before else ObjectChange.Action.CREATE,
            before=before,
            after=snapshot(profile),
        )
    return profile
