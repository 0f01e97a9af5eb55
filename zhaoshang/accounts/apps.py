from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhaoshang.accounts"
    label = "accounts"
    verbose_name = "账号与组织"

    def ready(self) -> None:
        from . import checks, security  # noqa: F401  # deferred: receivers and system checks once models are loaded
