"""Findings other apps record in a project's lifecycle from a lifecycle hook (``signals.stage_closed``): the
hook already runs inside the advance, authorised by it, so no change scope is asked of the actor here.

Added for the 载体库 (a failed 达产复核 of 标准地 commitments): one ``ProjectEvent`` (预警变化) and one open
需协调事项 owned by the project's unit, which turns the project's light through the warning engine.
"""

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse

from zhaoshang.notify.services import NotificationLevel, notify_unit

from ..models import Problem, Project, ProjectEvent
from .events import event, today_or
from .warning_engine import refresh_warning


def lifecycle_warning_raise(
    *, project_id: int, title: str, text: str, actor, on: date | None = None, due_days: int = 30, data=None
) -> Problem:
    on = today_or(on)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project_id)
        problem = Problem.objects.create(
            project=project,
            title=title[:200],
            description=text,
            owner_unit=project.org_unit,
            due_on=on + timedelta(days=due_days),
            raised_by=actor,
            raised_on=on,
        )
        event(project, ProjectEvent.Kind.WARNING, f"{title}：{text}", actor=actor, on=on, **(data or {}))
        notify_unit(
            project.org_unit,
            title=f"{title}：{project.name}",
            body=text[:300],
            url=reverse("projects:project_detail", args=[project.pk]) + "?tab=problems",
            level=NotificationLevel.TASK,
        )
        refresh_warning(project, today=on)
    return problem
