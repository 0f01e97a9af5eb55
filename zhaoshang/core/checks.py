"""System checks that guard the platform's security rules at start-up and in ``check --deploy``."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.checks import Error, Tags, register
from django.db import connection
from django.db.utils import DatabaseError

from demo.accounts import DEMO_USERNAMES

DEMO_PASSWORD = "Demo@2026zs"  # noqa: S105 (documented demo password, refused outside demo mode)


@register(Tags.security, deploy=True)
def demo_passwords_refused(app_configs, **kwargs):
    """SECURITY.md item 4: outside demo mode no account may keep the published demo password."""
    if settings.ZHAOSHANG_DEMO:
        return []
    try:
        if get_user_model()._meta.db_table not in connection.introspection.table_names():
            return []
        offenders = [
            u.username
            for u in get_user_model().objects.filter(username__in=DEMO_USERNAMES, is_active=True)
            if u.check_password(DEMO_PASSWORD)
        ]
    except DatabaseError:
        return []
    if offenders:
        return [
            Error(
                f"演示账号仍使用公开的演示密码：{', '.join(offenders)}；请停用这些账号或修改密码",
                id="zhaoshang.E001",
            )
        ]
    return []
