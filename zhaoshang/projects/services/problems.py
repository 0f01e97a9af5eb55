"""Problems needing coordination (需协调事项): raised, discussed and resolved. Each counts as progress."""

from datetime import date

from django.db import transaction
from django.urls import reverse

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE
from zhaoshang.notify.services import NoticeKind, NotificationLevel, notify_unit, notify_users

from ..models import Problem, ProblemComment, Project, ProjectEvent
from .events import event, today_or
from .lifecycle import project_for, share_with
from .warning_engine import refresh_warning


def problem_raise(
    *,
    actor,
    project: Project,
    title: str,
    owner_unit: OrgUnit,
    due_on: date,
    description: str = "",
    on: date | None = None,
) -> Problem:
    on = today_or(on)
    fields = {}
    if not (title or "").strip():
        fields["title"] = ["请填写问题"]
    if owner_unit is None or owner_unit.region_id != project.region_id:
        fields["owner_unit"] = ["请选择本地区的责任单位"]
    if due_on is None or due_on < on:
        fields["due_on"] = ["解决期限不能早于今天"]
    if fields:
        raise ValidationFailed(fields=fields)
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    with transaction.atomic():
        project = project_for(actor, project.pk)
        problem = Problem.objects.create(
            project=project,
            title=title.strip()[:200],
            description=description,
            owner_unit=owner_unit,
            due_on=due_on,
            raised_by=actor,
            raised_on=on,
        )
        share_with(project, owner_unit, actor)
        event(
            project,
            ProjectEvent.Kind.PROBLEM_RAISED,
            f"提出需协调事项“{problem.title}”，由{owner_unit.name}于 {due_on:%Y-%m-%d} 前解决",
            actor=actor,
            on=on,
        )
        notify_unit(
            owner_unit,
            title=f"需协调事项：{project.name}",
            body=f"{problem.title}（期限 {due_on:%Y-%m-%d}）",
            url=reverse("projects:project_detail", args=[project.pk]) + "?tab=problems",
            level=NotificationLevel.TASK,
            kind=NoticeKind.PROBLEM,
        )
        refresh_warning(project, today=on)
    return problem


def _problem_for(actor, problem_id: int) -> Problem:
    problem = Problem.objects.select_related("project", "owner_unit").filter(pk=problem_id).first()
    if problem is None or not Project.objects.restrict(actor).filter(pk=problem.project_id).exists():
        raise NotFound()
    return problem


def problem_resolve(*, actor, problem_id: int, resolution: str, on: date | None = None) -> Problem:
    on = today_or(on)
    if not (resolution or "").strip():
        raise ValidationFailed(fields={"resolution": ["请填写解决情况"]})
    with transaction.atomic():
        problem = _problem_for(actor, problem_id)
        mine = actor.org_unit_id is not None and problem.owner_unit_id in actor.org_unit.subtree_ids()
        introducer = Project.objects.restrict(actor, CHANGE).filter(pk=problem.project_id).exists()
        if not actor.has_capability(Cap.BUSINESS_CHANGE) or not (mine or introducer):
            raise PermissionDenied(f"该事项由{problem.owner_unit.name}负责解决")
        if problem.status == Problem.Status.RESOLVED:
            raise ValidationFailed("该事项已解决")
        problem.status, problem.resolved_on, problem.resolved_by = Problem.Status.RESOLVED, on, actor
        problem.resolution = resolution.strip()
        problem.save()
        event(
            problem.project,
            ProjectEvent.Kind.PROBLEM_RESOLVED,
            f"{problem.owner_unit.name}解决“{problem.title}”：{problem.resolution}",
            actor=actor,
            on=on,
        )
        notify_users(
            [problem.raised_by],
            title=f"已解决：{problem.title}",
            body=problem.resolution[:200],
            url=reverse("projects:project_detail", args=[problem.project_id]) + "?tab=problems",
            kind=NoticeKind.PROBLEM,
        )
        Project.objects.filter(pk=problem.project_id).update(last_progress_on=on)
        problem.project.last_progress_on = on
        refresh_warning(problem.project, today=on)
    return problem


def problem_comment(*, actor, problem_id: int, text: str) -> ProblemComment:
    if not (text or "").strip():
        raise ValidationFailed(fields={"text": ["请填写内容"]})
    problem = _problem_for(actor, problem_id)
    return ProblemComment.objects.create(problem=problem, author=actor, text=text.strip()[:2000])
