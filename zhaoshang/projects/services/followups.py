"""Follow-ups (跟进记录): visits, calls and meetings with the investor; each one is progress."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.roles import Cap

from ..models import FollowUp, Project, ProjectEvent
from .events import event
from .lifecycle import project_for
from .warning_engine import refresh_warning


def followup_add(*, actor, project: Project, kind: str, date_: date, summary: str, next_step: str = "") -> FollowUp:
    if not (summary or "").strip():
        raise ValidationFailed(fields={"summary": ["请填写跟进内容"]})
    if kind not in FollowUp.Kind.values:
        raise ValidationFailed(fields={"kind": ["跟进方式无效"]})
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    with transaction.atomic():
        project = project_for(actor, project.pk)
        followup = FollowUp.objects.create(
            project=project, kind=kind, date=date_, summary=summary.strip(), next_step=next_step, author=actor
        )
        event(
            project,
            ProjectEvent.Kind.FOLLOWUP,
            f"{FollowUp.Kind(kind).label}：{summary.strip()[:120]}",
            actor=actor,
            on=date_,
        )
        if project.last_progress_on is None or date_ > project.last_progress_on:
            Project.objects.filter(pk=project.pk).update(last_progress_on=date_)
            project.last_progress_on = date_
        refresh_warning(project)
    return followup


def followups_copy(project: Project, rows: Iterable[tuple[str, date, str, str, object]]) -> None:
    """Carry follow-ups over from elsewhere (a lead's, when it becomes this project): ``(kind, date, summary,
    next_step, author)`` per row, in one statement; no events (the caller carries its timeline over too)."""
    FollowUp.objects.bulk_create(
        [
            FollowUp(project=project, kind=kind, date=day, summary=summary, next_step=next_step, author=author)
            for kind, day, summary, next_step, author in rows
        ]
    )
