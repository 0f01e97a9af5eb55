"""Sending notifications: the bell's ``Notification`` row and, in the same transaction, the outbox row the
worker delivers to e-mail / 浙政钉 / DingTalk / WeCom (``outbox.py``). Callers in other apps use
``notify_users`` / ``notify_unit`` / ``notify_many``; ``kind``, ``dedupe_key`` and ``urgent`` are optional."""

import hashlib

from django.db import connection
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.core.bulk import insert_rows
from zhaoshang.core.roles import Cap, roles_with

from ..models import URGENT_KINDS, Kind, Notification, OutboxMessage

# The levels a notification is sent at, for callers in other apps (they never import the model).
NotificationLevel = Notification.Level
NoticeKind = Kind

# A notice's kind when the caller names none: taken from its bell level.
KIND_OF_LEVEL = {
    Notification.Level.INFO: Kind.INFO,
    Notification.Level.TASK: Kind.ASSIGNMENT,
    Notification.Level.HANDOFF: Kind.HANDOFF,
    Notification.Level.WARNING: Kind.WARNING,
    Notification.Level.URGENT: Kind.SUPERVISION,
}


def default_dedupe_key(kind: str, title: str, url: str, day=None) -> str:
    """The same notice (kind, title, link) on the same day is one message per channel and target, however
    often the code that raises it runs."""
    day = day or timezone.localdate()
    digest = hashlib.sha1(f"{title}\n{url}".encode(), usedforsecurity=False).hexdigest()[:20]
    return f"{kind}:{day:%Y%m%d}:{digest}"


def _kind(level: str, kind: str | None) -> str:
    return kind or KIND_OF_LEVEL.get(level, Kind.INFO)


def notify_users(
    users,
    *,
    title: str,
    body: str = "",
    url: str = "",
    level: str = Notification.Level.INFO,
    kind: str | None = None,
    dedupe_key: str | None = None,
    urgent: bool | None = None,
) -> int:
    recipients = list({u.pk: u for u in users if u is not None and u.is_active}.values())
    title, url = title[:200], url[:300]
    Notification.objects.bulk_create(
        [Notification(recipient=u, title=title, body=body, url=url, level=level) for u in recipients]
    )
    kind = _kind(level, kind)
    key = (dedupe_key or default_dedupe_key(kind, title, url))[:200]
    urgent = kind in URGENT_KINDS if urgent is None else urgent
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                recipient=u, kind=kind, dedupe_key=key, urgent=urgent, title=title, body=body, url=url, created_at=now
            )
            for u in recipients
        ]
    )
    return len(recipients)


def notify_unit(
    unit: OrgUnit,
    *,
    title: str,
    body: str = "",
    url: str = "",
    level: str = Notification.Level.INFO,
    kind: str | None = None,
    dedupe_key: str | None = None,
    urgent: bool | None = None,
) -> int:
    """Every active business user of the unit (not its sub-units): the unit that owes the work."""
    members = User.objects.filter(org_unit=unit, is_active=True, role__in=roles_with(Cap.BUSINESS_CHANGE))
    return notify_users(
        members, title=title, body=body, url=url, level=level, kind=kind, dedupe_key=dedupe_key, urgent=urgent
    )


def notify_many(rows: list[tuple], *, kind: str | None = None) -> int:
    """Many notifications at once: ``(recipient_id, level, title, body, url)`` per row (optionally followed by
    ``kind`` and ``dedupe_key``), as multi-row INSERTs of the bell rows and of the outbox rows (the nightly
    warnings send thousands; model instances would cost more than storing them). Recipients are taken as
    given: the caller has picked the active users."""
    if not rows:
        return 0
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    today = timezone.localdate()
    bell, outbox = [], []
    for row in rows:
        pk, level, title, body, url = row[:5]
        title, url = title[:200], url[:300]
        row_kind = _kind(level, row[5] if len(row) > 5 and row[5] else kind)
        key = (row[6] if len(row) > 6 and row[6] else default_dedupe_key(row_kind, title, url, today))[:200]
        bell.append((pk, level, title, body, url, now))
        outbox.append((pk, row_kind, key, row_kind in URGENT_KINDS, title, body, url, now))
    with connection.cursor() as cursor:
        insert_rows(
            cursor,
            Notification._meta.db_table,
            ["recipient_id", "level", "title", "body", "url", "created_at"],
            bell,
        )
        insert_rows(
            cursor,
            OutboxMessage._meta.db_table,
            ["recipient_id", "kind", "dedupe_key", "urgent", "title", "body", "url", "created_at"],
            outbox,
        )
    return len(rows)


def mark_read(*, user, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
