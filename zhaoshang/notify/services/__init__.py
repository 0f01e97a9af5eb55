"""The notify app's writes: the bell and outbox (``bell``), delivery (``outbox``), channel settings and
preferences (``config``), scheduled jobs (``jobs``). Other apps import ``notify_users`` / ``notify_unit`` /
``notify_many`` / ``NotificationLevel`` / ``NoticeKind`` from here."""

from .bell import (
    KIND_OF_LEVEL,
    NoticeKind,
    NotificationLevel,
    default_dedupe_key,
    mark_read,
    notify_many,
    notify_unit,
    notify_users,
)

__all__ = [
    "KIND_OF_LEVEL",
    "NoticeKind",
    "NotificationLevel",
    "default_dedupe_key",
    "mark_read",
    "notify_many",
    "notify_unit",
    "notify_users",
]
