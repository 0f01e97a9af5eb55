"""System checks of the accounts settings."""

from django.conf import settings
from django.core.checks import Error, register

from zhaoshang.core.roles import Role


@register()
def two_factor_roles(app_configs, **kwargs):
    """A misspelt role in ``ZHAOSHANG_TWO_FACTOR_ROLES`` would silently exempt that role from the second factor."""
    unknown = sorted(set(settings.ZHAOSHANG_TWO_FACTOR_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [
        Error(
            f"ZHAOSHANG_TWO_FACTOR_ROLES 含有未知角色：{', '.join(unknown)}",
            hint=f"可用角色：{', '.join(Role.values)}",
            id="zhaoshang.E201",
        )
    ]
