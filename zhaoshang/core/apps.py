from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhaoshang.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401  # cycle: they import models, loadable only once apps are ready
