"""Reads of notifications: a user's own, nobody else's."""

from django.db.models import Case, IntegerField, Value, When

from .models import Notification

# The order a user should read unread notices in: 督办 first, then 交棒, tasks, warnings, plain notices.
PRIORITY = (
    Notification.Level.URGENT,
    Notification.Level.HANDOFF,
    Notification.Level.TASK,
    Notification.Level.WARNING,
    Notification.Level.INFO,
)
COUNT_CAP = 1000  # counting a leader's tens of thousands of unread rows would cost every home page


def unread(*, user, limit: int = 10) -> tuple[list[Notification], int]:
    """The user's unread notifications, most pressing first and newest first within a level (at most
    ``limit``), and how many are unread (counted up to ``COUNT_CAP``)."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    rank = Case(
        *(When(level=level, then=Value(i)) for i, level in enumerate(PRIORITY)),
        default=Value(len(PRIORITY)),
        output_field=IntegerField(),
    )
    shown = list(queryset.annotate(rank=rank).order_by("rank", "-id")[:limit])
    return shown, queryset[:COUNT_CAP].count()
