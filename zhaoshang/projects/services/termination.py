"""Ending a project's lifecycle before its last stage: a review decided 不予引进 (not admitted). The open stage
is closed as 已终止 with the reason, which stands in the 大事记; the project keeps its record and history."""

from datetime import date

from django.db import transaction

from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import NotFound, ValidationFailed
from zhaoshang.core.models import ObjectChange

from ..models import Project, ProjectEvent, ProjectStage
from .events import event, today_or
from .warning_engine import open_run, refresh_warning


def project_terminate(*, actor, project_id: int, reason: str, on: date | None = None) -> Project:
    """Close the open stage as terminated, with ``reason``. The caller has authorised the act (the decision of
    a review recorded by its chair or a leader); the project must be in the actor's view scope."""
    on = today_or(on)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("终止项目须说明原因", fields={"reason": ["请填写原因"]})
    with transaction.atomic():
        project = Project.objects.restrict(actor).select_for_update().filter(pk=project_id).first()
        if project is None:
            raise NotFound()
        run = open_run(project)
        if run is None:
            raise ValidationFailed("该项目已没有在办阶段")
        before = snapshot(project)
        run.status, run.closed_on, run.closed_by = ProjectStage.Status.TERMINATED, on, actor
        run.save(update_fields=["status", "closed_on", "closed_by"])
        event(project, ProjectEvent.Kind.TERMINATED, f"在“{run.stage.name}”阶段终止引进：{reason}", actor=actor, on=on)
        project.last_progress_on = on
        project.version += 1
        project.updated_by = actor
        project.save()
        log_change(actor=actor, obj=project, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(project))
        refresh_warning(project, today=on)
    return project
