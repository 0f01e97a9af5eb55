"""The accounts' part of the 工作台: my password's expiry, and for the security administrator the accounts
still waiting for a role."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core.roles import Cap
from zhaoshang.core.workbench import Panel, Row, Visit, register_panel

from . import selectors


@register_panel(order=80)
def account_reminders(user, visit: Visit) -> Panel | None:
    """Shown only when there is something to do."""
    rows = []
    if user.password_changed_at is not None:
        left = settings.ZHAOSHANG_PASSWORD_MAX_AGE_DAYS - (timezone.now() - user.password_changed_at).days
        if left <= 14:
            url = reverse("accounts:password_change")
            rows.append(
                Row(
                    f"您的密码将在 {max(left, 0)} 天后过期，请及时修改",
                    url=url,
                    badge="密码",
                    level="warning",
                    action_url=url,
                    action_label="修改密码",
                )
            )
    if user.has_capability(Cap.ASSIGN_ROLES):
        count = selectors.user_list(actor=user, role="-").filter(is_active=True).count()
        if count:
            url = reverse("accounts:user_list") + "?role=-"
            rows.append(
                Row(
                    f"{count} 个账号待分配角色",
                    url=url,
                    badge="账号",
                    level="warning",
                    action_url=url,
                    action_label="分配角色",
                )
            )
    if not rows:
        return None
    return Panel(key="accounts", title="账号提醒", icon="ti-user-exclamation", rows=rows, column="side")
