from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "zhaoshang.chains"
    label = "chains"
    verbose_name = "产业链"

    def ready(self) -> None:
        from . import signals  # deferred: receivers need the other apps' models loaded

        signals.connect()
