from django.apps import AppConfig


class CarriersConfig(AppConfig):
    name = "zhaoshang.carriers"
    label = "carriers"
    verbose_name = "载体库"

    def ready(self):
        from . import receivers  # deferred: connects the lifecycle hooks once the apps are loaded

        receivers.connect()
