"""Sending in-app notifications: the one module that writes ``Notification``. Other channels (e-mail,
DingTalk) come later as on_commit tasks that read these rows; the row itself is written with the business
change it reports."""

from django.db import connection
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.core.bulk import insert_rows
from zhaoshang.core.roles import Cap, roles_with

from .models import Notification

# The levels a notification is sent at, for callers in other apps (they never import the model).
NotificationLevel = Notification.Level


def notify_users(users, *, title: str, body: str = "", url: str = "", level: str = Notification.Level.INFO) -> int:
    rows = [
        Notification(recipient=u, title=title[:200], body=body, url=url[:300], level=level)
        for u in {u.pk: u for u in users if u is not None and u.is_active}.values()
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notify_unit(
    unit: OrgUnit, *, title: str, body: str = "", url: str = "", level: str = Notification.Level.INFO
) -> int:
    """Every active business user of the unit (not its sub-units): the unit that owes the work."""
    members = User.objects.filter(org_unit=unit, is_active=True, role__in=roles_with(Cap.BUSINESS_CHANGE))
    return notify_users(members, title=title, body=body, url=url, level=level)


def notify_many(rows: list[tuple[int, str, str, str, str]]) -> int:
    """Many notifications at once: ``(recipient_id, level, title, body, url)`` per row, as multi-row INSERTs
    (the nightly warnings send thousands; model instances would cost more than storing them). Recipients
    are taken as given: the caller has picked the active users."""
    if rows:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            insert_rows(
                cursor,
                Notification._meta.db_table,
                ["recipient_id", "level", "title", "body", "url", "created_at"],
                [(pk, level, title[:200], body, url[:300], now) for pk, level, title, body, url in rows],
            )
    return len(rows)


def mark_read(*, user, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
