"""The outbox's worker side: fan notices out into deliveries (preferences, quiet hours, digest), deliver them
with retries, exponential backoff and a per-channel rate limit, and never twice.

A delivery is claimed by a conditional UPDATE (``queued`` → ``sending`` with a lease) before the adapter is
called and marked ``sent`` after. A worker that dies between the two leaves a ``sending`` row whose lease
runs out; the next pass reconciles it: a channel whose receiver drops repeats (浙政钉, by ``bizMsgId``)
sends again, any other is marked ``unknown`` for the administrator rather than risking a second message.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from zhaoshang.accounts.models import User
from zhaoshang.core.roles import Cap, roles_with

from ..channels import ADAPTERS, ChannelError, OutgoingMessage, scrub
from ..models import Channel, Delivery, Kind, Notification, NotifyProfile, OutboxMessage, RoleDefault
from .bell import notify_users
from .config import enabled_settings

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 6
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=2)
THROTTLE_PAUSE = timedelta(seconds=5)

_ALL = [Channel.EMAIL, Channel.ZZD, Channel.DINGTALK, Channel.WECOM]
_PERSONAL = [Channel.EMAIL, Channel.ZZD]
# Channels per kind when neither the user nor the administrator chose (only enabled channels are used).
DEFAULT_CHANNELS: dict[str, list[str]] = {
    Kind.HANDOFF: _ALL,
    Kind.SUPERVISION: _ALL,
    Kind.ESCALATION: _ALL,
    Kind.ASSIGNMENT: _PERSONAL,
    Kind.OVERDUE: _PERSONAL,
    Kind.REMINDER: _PERSONAL,
    Kind.PROBLEM: _PERSONAL,
    Kind.IMPORT_DONE: [Channel.EMAIL],
    Kind.WARNING: [],
    Kind.INFO: [],
    Kind.SYSTEM: [],
}


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed try: 1, 2, 4, 8 … minutes, at most two hours."""
    return min(BACKOFF_BASE * (2 ** max(0, attempts - 1)), BACKOFF_CAP)


def channels_for(user, profile: NotifyProfile | None, role_defaults: dict, kind: str) -> list[str]:
    if profile is not None and profile.channels is not None and kind in profile.channels:
        return list(profile.channels[kind])
    chosen = role_defaults.get(user.role) or {}
    if kind in chosen:
        return list(chosen[kind])
    return list(DEFAULT_CHANNELS.get(kind, []))


def quiet_until(profile: NotifyProfile | None, now: datetime) -> datetime:
    """``now``, or the end of the user's quiet hours when ``now`` falls inside them (spanning midnight too)."""
    if profile is None or profile.quiet_start is None or profile.quiet_end is None:
        return now
    local = timezone.localtime(now)
    start, end, t = profile.quiet_start, profile.quiet_end, local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return now
    day = local.date() if t < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, end), local.tzinfo)


def dispatch(batch: int = 1000) -> int:
    """Turn undispatched outbox rows into deliveries; returns how many rows were dispatched."""
    now = timezone.now()
    messages = list(
        OutboxMessage.objects.filter(dispatched_at__isnull=True).select_related("recipient").order_by("id")[:batch]
    )
    if not messages:
        return 0
    enabled = set(enabled_settings())
    rows = []
    if enabled:
        users = {m.recipient_id for m in messages}
        profiles = {p.user_id: p for p in NotifyProfile.objects.filter(user_id__in=users)}
        defaults = {d.role: d.channels for d in RoleDefault.objects.all()}
        for message in messages:
            rows += _deliveries(message, profiles.get(message.recipient_id), defaults, enabled, now)
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(dispatched_at=now)
    return len(messages)


def _deliveries(message, profile, defaults, enabled, now) -> list[Delivery]:
    rows = []
    for key in channels_for(message.recipient, profile, defaults, message.kind):
        adapter = ADAPTERS.get(key)
        target = adapter.target_for(message.recipient, profile) if adapter and key in enabled else ""
        if not target:
            continue
        status, at = Delivery.Status.QUEUED, now
        if adapter.personal and not message.urgent:
            if profile is not None and profile.digest:
                status = Delivery.Status.DIGEST
            else:
                at = quiet_until(profile, now)
        rows.append(
            Delivery(
                message=message,
                channel=key,
                target=target,
                dedupe_key=message.dedupe_key,
                status=status,
                next_attempt_at=at,
            )
        )
    return rows


def absolute(url: str) -> str:
    base = getattr(settings, "ZHAOSHANG_SITE_URL", "").rstrip("/")
    return url if url.startswith(("http://", "https://")) else f"{base}{url or '/notifications/'}"


def outgoing(delivery: Delivery) -> OutgoingMessage:
    """What leaves the platform: title, the body only to the person it was written for (a group robot gets
    the title and the link), never a phone number, always the link back."""
    message = delivery.message
    personal = ADAPTERS[delivery.channel].personal
    return OutgoingMessage(
        title=scrub(message.title),
        body=scrub(message.body) if personal else "",
        link=absolute(message.url),
        dedupe_key=delivery.dedupe_key,
        kind=message.kind,
    )


def deliver_due(limit: int = 200) -> dict[str, int]:
    """One pass over the deliveries that are due (and the stale ``sending`` ones): counts per outcome."""
    now = timezone.now()
    configs = enabled_settings()
    due = list(
        Delivery.objects.filter(
            Q(status=Delivery.Status.QUEUED, next_attempt_at__lte=now)
            | Q(status=Delivery.Status.SENDING, lease_until__lt=now)
        )
        .select_related("message")
        .order_by("next_attempt_at", "id")[:limit]
    )
    outcome: dict[str, int] = defaultdict(int)
    for delivery in due:
        outcome[deliver_one(delivery, configs)] += 1
    return dict(outcome)


def _sent_last_minute(channel: str, now: datetime) -> int:
    return Delivery.objects.filter(channel=channel, claimed_at__gt=now - timedelta(minutes=1)).count()


def deliver_one(delivery: Delivery, configs: dict) -> str:  # size: claim, reconcile, throttle, send, mark
    now = timezone.now()
    adapter = ADAPTERS[delivery.channel]
    pending = Delivery.objects.filter(pk=delivery.pk, status=delivery.status, attempts=delivery.attempts)
    if delivery.status == Delivery.Status.SENDING and not adapter.idempotent:
        pending.filter(lease_until__lt=now).update(
            status=Delivery.Status.UNKNOWN,
            lease_until=None,
            last_error="发送过程中断，无法确认对方是否收到；为避免重复发送未自动重发，可在投递记录中手动重发",
        )
        return "unknown"
    config = configs.get(delivery.channel)
    if config is None:
        pending.update(status=Delivery.Status.FAILED, last_error="渠道未启用", lease_until=None)
        return "failed"
    limit = int(config.get("per_minute") or adapter.per_minute)
    if _sent_last_minute(delivery.channel, now) >= limit:
        if delivery.status == Delivery.Status.QUEUED:
            pending.update(next_attempt_at=now + THROTTLE_PAUSE)
        return "throttled"
    claimed = pending.filter(Q(status=Delivery.Status.QUEUED) | Q(lease_until__lt=now)).update(
        status=Delivery.Status.SENDING, lease_until=now + LEASE, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    attempts = delivery.attempts + 1
    mine = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING, attempts=attempts)
    try:
        external = adapter.send(config, outgoing(delivery), delivery.target)
    except Exception as exc:  # noqa: BLE001 - any failure of a send is recorded on the delivery
        retry = getattr(exc, "retry", True)
        reason = str(exc) if isinstance(exc, ChannelError) else f"{exc.__class__.__name__}: {exc}"
        if retry and attempts < MAX_ATTEMPTS:
            mine.update(
                status=Delivery.Status.QUEUED,
                next_attempt_at=timezone.now() + backoff(attempts),
                lease_until=None,
                last_error=reason[:1000],
            )
            return "retry"
        mine.update(status=Delivery.Status.FAILED, lease_until=None, last_error=reason[:1000])
        _tell_admins(delivery, reason)
        return "failed"
    _mark_sent(mine, external)
    return "sent"


def _mark_sent(mine, external: str) -> None:
    mine.update(status=Delivery.Status.SENT, sent_at=timezone.now(), lease_until=None, external_id=external[:120])


def _tell_admins(delivery: Delivery, reason: str) -> None:
    """A final failure reaches the 系统管理员's bell (one notice per channel a day)."""
    admins = User.objects.filter(is_active=True, role__in=roles_with(Cap.MANAGE_SETTINGS))
    label = Channel(delivery.channel).label
    notify_users(
        admins,
        title=f"消息投递失败：{label}",
        body=f"“{delivery.message.title}”经 {label} 投递失败：{reason[:200]}",
        url=f"/notifications/deliveries/?status=failed&channel={delivery.channel}",
        level=Notification.Level.WARNING,
        kind=Kind.SYSTEM,
    )


def send_digests() -> int:
    """The daily digest: one message per user and channel listing the notices held back; returns how many
    digests went out. Claimed like single deliveries, so a crash never sends a digest twice."""
    now = timezone.now()
    configs = enabled_settings()
    groups: dict[tuple[str, str], list[Delivery]] = defaultdict(list)
    for d in Delivery.objects.filter(status=Delivery.Status.DIGEST).select_related("message").order_by("id"):
        groups[(d.channel, d.target)].append(d)
    sent = 0
    for (channel, target), items in groups.items():
        if channel not in configs:
            continue
        ids = [d.pk for d in items]
        claimed = Delivery.objects.filter(pk__in=ids, status=Delivery.Status.DIGEST).update(
            status=Delivery.Status.SENDING, lease_until=now + LEASE, claimed_at=now, attempts=F("attempts") + 1
        )
        if claimed != len(ids):
            continue
        lines = [f"· {scrub(d.message.title)}  {absolute(d.message.url)}" for d in items]
        digest = OutgoingMessage(
            title=f"每日消息汇总（{len(items)} 条）",
            body="\n".join(lines),
            link=absolute("/notifications/"),
            dedupe_key=f"digest:{timezone.localdate():%Y%m%d}:{channel}:{target}",
            kind="digest",
        )
        batch = Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENDING)
        try:
            ADAPTERS[channel].send(configs[channel], digest, target)
        except Exception as exc:  # noqa: BLE001 - kept for tomorrow's digest, with the reason
            batch.update(status=Delivery.Status.DIGEST, lease_until=None, last_error=str(exc)[:1000])
            continue
        batch.update(status=Delivery.Status.SENT, sent_at=timezone.now(), lease_until=None)
        sent += 1
    return sent


def process() -> dict[str, int]:
    """What the worker runs every few seconds: dispatch new notices, then deliver what is due."""
    dispatched = dispatch()
    return {"dispatched": dispatched, **deliver_due()}


def delivery_retry(*, actor, delivery_id: int) -> bool:
    """The administrator sends a failed (or unknown) delivery again; False when it is not one."""
    return bool(
        Delivery.objects.filter(pk=delivery_id, status__in=[Delivery.Status.FAILED, Delivery.Status.UNKNOWN]).update(
            status=Delivery.Status.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
    )
