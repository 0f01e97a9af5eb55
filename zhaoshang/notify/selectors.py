"""Reads of notifications (a user's own, nobody else's) and, for the 系统管理员, of channels, deliveries and jobs."""

from datetime import timedelta

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from .models import Channel, ChannelConfig, Delivery, Notification, ScheduledJob
from .scheduler import JOBS

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


# --- the administrator's reads: channels, deliveries, jobs (Cap.MANAGE_SETTINGS, checked by the callers) ---


def channel_overview() -> list[dict]:
    """Each channel with its state and the last day's counts."""
    configs = {c.channel: c for c in ChannelConfig.objects.all()}
    since = timezone.now() - timedelta(days=1)
    counts = {
        row["channel"]: row
        for row in Delivery.objects.filter(created_at__gte=since)
        .values("channel")
        .annotate(
            sent=Count("id", filter=Q(status=Delivery.Status.SENT)),
            failed=Count("id", filter=Q(status__in=[Delivery.Status.FAILED, Delivery.Status.UNKNOWN])),
            waiting=Count("id", filter=Q(status__in=[Delivery.Status.QUEUED, Delivery.Status.DIGEST])),
        )
    }
    return [
        {"channel": c, "config": configs.get(c.value), **counts.get(c.value, {"sent": 0, "failed": 0, "waiting": 0})}
        for c in Channel
    ]


def delivery_list(*, status: str = "", channel: str = ""):
    queryset = Delivery.objects.select_related("message", "message__recipient").order_by("-id")
    if status == "failed":
        queryset = queryset.filter(status__in=[Delivery.Status.FAILED, Delivery.Status.UNKNOWN])
    elif status:
        queryset = queryset.filter(status=status)
    if channel:
        queryset = queryset.filter(channel=channel)
    return queryset


def job_list() -> list:
    """The registered jobs' rows (created at the worker's first tick, or here), with their labels."""
    rows = list(ScheduledJob.objects.filter(name__in=list(JOBS)).order_by("name"))
    for row in rows:
        row.label = JOBS[row.name].label
    return rows
