"""The notifications' part of the 工作台: unread notices, 督办 and 交棒 first, each markable as read."""

from django.urls import reverse
from django.utils import timezone

from zhaoshang.core.workbench import Panel, QuickAction, Row, Visit, register_panel

from . import selectors
from .models import Notification

BADGE_LEVEL = {
    Notification.Level.URGENT: "danger",
    Notification.Level.HANDOFF: "purple",
    Notification.Level.TASK: "info",
    Notification.Level.WARNING: "warning",
    Notification.Level.INFO: "secondary",
}


@register_panel(order=30)
def unread_notices(user, visit: Visit) -> Panel | None:
    notes, total = selectors.unread(user=user, limit=10)
    home = reverse("core:home")
    rows = [
        Row(
            text=note.title,
            url=reverse("notify:open", args=[note.pk]),
            detail=f"{timezone.localtime(note.created_at):%m-%d %H:%M}" + (f" · {note.body}" if note.body else ""),
            badge=note.get_level_display(),
            level=BADGE_LEVEL.get(note.level, "secondary"),
            action_url=reverse("notify:mark_read", args=[note.pk]),
            action_label="标为已读",
            action_post=True,
            action_fields=(("next", home),),
            testid="notice-row",
        )
        for note in notes
    ]
    return Panel(
        key="notices",
        title="未读通知",
        icon="ti-bell",
        note="督办、交棒在前；点标题打开并标为已读",
        rows=rows,
        total=total,
        more_url=reverse("notify:list") + "?unread=1",
        more_label="全部未读通知",
        empty="没有未读通知",
        header_action=QuickAction("全部标为已读", reverse("notify:read_all"), icon="ti-checks") if rows else None,
    )
