from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "zhaoshang.notify"
    label = "notify"
    verbose_name = "通知"

    def ready(self):
        from .jobs import register_builtin_jobs  # deferred: the registry is filled once the apps are loaded

        register_builtin_jobs()
