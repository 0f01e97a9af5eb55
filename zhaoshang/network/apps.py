from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "zhaoshang.network"
    label = "network"
    verbose_name = "招商网络"

    def ready(self) -> None:
        from zhaoshang.projects.signals import stage_closed  # deferred: apps are loaded only in ready()

        from . import receivers  # deferred: the receivers import the services, which import the models

        stage_closed.connect(_stage_closed, dispatch_uid="network.rewards")
        receivers.connect()


def _stage_closed(sender, project, stage_code, actor=None, on=None, **kwargs) -> None:
    """A referred project signed or started: its agreement may owe a reward (computed after the commit)."""
    from .services import rewards_for_project_stage  # deferred: services import the models, not loadable at import

    rewards_for_project_stage(project, stage_code)
