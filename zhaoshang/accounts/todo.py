from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core.roles import Cap
from zhaoshang.core.todo import TodoItem, register

from . import selectors


@register
def password_expiring(user) -> list[TodoItem]:
    if user.password_changed_at is None:
        return []
    age = (timezone.now() - user.password_changed_at).days
    left = settings.ZHAOSHANG_PASSWORD_MAX_AGE_DAYS - age
    if left <= 14:
        return [
            TodoItem(
                f"您的密码将在 {max(left, 0)} 天后过期，请及时修改",
                reverse("accounts:password_change"),
                level="warning",
            )
        ]
    return []


@register
def users_without_role(user) -> list[TodoItem]:
    if not user.has_capability(Cap.ASSIGN_ROLES):
        return []
    count = selectors.user_list(actor=user, role="-").filter(is_active=True).count()
    if not count:
        return []
    return [TodoItem("待分配角色的账号", reverse("accounts:user_list") + "?role=-", count=count, level="warning")]
