from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "zhaoshang.policies"
    label = "policies"
    verbose_name = "政策"

    def ready(self):
        from zhaoshang.projects.signals import stage_closed  # deferred: apps are loaded before receivers connect

        from . import receivers  # deferred: receivers import the services, which need the loaded apps

        stage_closed.connect(receivers.on_stage_closed, dispatch_uid="policies.stage_closed")
