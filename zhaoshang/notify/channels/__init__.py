"""The channel adapters, by key (``Channel`` values)."""

from . import dingtalk, email, wecom, zzd
from .base import Adapter, ChannelError, OutgoingMessage, scrub

ADAPTERS: dict[str, Adapter] = {a.key: a for a in (email.ADAPTER, zzd.ADAPTER, dingtalk.ADAPTER, wecom.ADAPTER)}

__all__ = ["ADAPTERS", "Adapter", "ChannelError", "OutgoingMessage", "scrub"]
