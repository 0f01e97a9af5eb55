"""The 载体库's receivers of the project lifecycle's hooks (``projects.signals``), connected in ``apps.ready``."""

from zhaoshang.projects.signals import stage_closed

from .services import lifecycle


def on_stage_closed(sender, *, project, stage_code, actor, on, **kwargs):
    if stage_code == "land":
        lifecycle.land_supplied(project=project, actor=actor, on=on)
    elif stage_code == "full_production":
        lifecycle.production_check(project=project, actor=actor, on=on)


def connect() -> None:
    stage_closed.connect(on_stage_closed, dispatch_uid="carriers.on_stage_closed")
