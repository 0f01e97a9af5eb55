"""Oversight by hand, beside the computed lights: a 督办 introduced by a leader or a 统筹单位 officer
(``Supervision``: kept apart from ``Project.escalation``, which the nightly recomputation rewrites), and a
leader's 批示 (``Instruction``) whose responsible units each report how they carried it out
(``InstructionReply``). Each stands in the 大事记 and notifies the units that must act."""

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import coordinates
from zhaoshang.notify.services import NoticeKind, NotificationLevel, notify_unit, notify_users

from ..models import Instruction, InstructionReply, Problem, Project, ProjectEvent, Supervision
from .events import event, today_or
from .lifecycle import project_for, share_with
from .warning_engine import open_run, refresh_warning


def may_supervise(actor, project: Project) -> bool:
    """Leaders and 统筹单位 officers, on any project of their region."""
    if actor.org_unit_id is None or project.region_id != actor.region_id:
        return False
    return actor.has_capability(Cap.SUPERVISE) or coordinates(actor)


def may_instruct(actor, project: Project) -> bool:
    return actor.has_capability(Cap.INSTRUCT) and actor.org_unit_id is not None and project.region_id == actor.region_id


def open_supervision(project: Project) -> Supervision | None:
    return project.supervisions.filter(lifted_on__isnull=True).select_related("raised_by").first()


def _url(project: Project, tab: str = "oversight") -> str:
    return reverse("projects:project_detail", args=[project.pk]) + f"?tab={tab}"


def _units_to_tell(project: Project) -> list[OrgUnit]:
    """The introducing unit and the open stage's owner (once each)."""
    run = open_run(project)
    units = {project.org_unit_id: project.org_unit}
    if run is not None:
        units.setdefault(run.owner_unit_id, run.owner_unit)
    return list(units.values())


def supervision_raise(*, actor, project: Project, reason: str, on: date | None = None) -> Supervision:
    """列入督办 by hand, with the reason; the introducing unit and the open stage's owner are told."""
    on = today_or(on)
    reason = (reason or "").strip()
    with transaction.atomic():
        project = project_for(actor, project.pk)
        if not may_supervise(actor, project):
            raise PermissionDenied("只有领导或统筹单位可以列入督办")
        if not reason:
            raise ValidationFailed("列入督办须说明事由", fields={"reason": ["请填写督办事由"]})
        if project.supervisions.filter(lifted_on__isnull=True).exists():
            raise ValidationFailed("该项目已列入督办")
        try:
            with transaction.atomic():
                supervision = Supervision.objects.create(
                    project=project, reason=reason[:300], raised_by=actor, raised_on=on
                )
        except IntegrityError as exc:  # another officer put it on the list a moment ago
            raise ValidationFailed("该项目已列入督办") from exc
        event(project, ProjectEvent.Kind.SUPERVISED, f"{actor.display_name}列入督办：{reason}", actor=actor, on=on)
        for unit in _units_to_tell(project):
            notify_unit(
                unit,
                title=f"列入督办：{project.name}"[:200],
                body=reason,
                url=_url(project),
                level=NotificationLevel.URGENT,
            )
    return supervision


def supervision_lift(*, actor, project: Project, reason: str, on: date | None = None) -> Supervision:
    """解除督办 with the reason (who may introduce one may lift it)."""
    on = today_or(on)
    reason = (reason or "").strip()
    with transaction.atomic():
        project = project_for(actor, project.pk)
        if not may_supervise(actor, project):
            raise PermissionDenied("只有领导或统筹单位可以解除督办")
        supervision = project.supervisions.select_for_update().filter(lifted_on__isnull=True).first()
        if supervision is None:
            raise ValidationFailed("该项目没有人工列入的督办")
        if not reason:
            raise ValidationFailed("解除督办须说明理由", fields={"reason": ["请填写解除理由"]})
        supervision.lifted_on, supervision.lifted_by, supervision.lift_reason = on, actor, reason[:300]
        supervision.save(update_fields=["lifted_on", "lifted_by", "lift_reason"])
        event(
            project,
            ProjectEvent.Kind.SUPERVISION_LIFTED,
            f"{actor.display_name}解除督办：{reason}",
            actor=actor,
            on=on,
        )
        for unit in _units_to_tell(project):
            notify_unit(
                unit,
                title=f"解除督办：{project.name}"[:200],
                body=reason,
                url=_url(project),
                kind=NoticeKind.SUPERVISION,
                urgent=False,
            )
    return supervision


def instruction_issue(
    *,
    actor,
    project: Project,
    text: str,
    units: list[OrgUnit],
    due_on: date | None = None,
    problem: Problem | None = None,
    on: date | None = None,
) -> Instruction:
    """A leader's 批示 on the project (or one of its problems), for ``units`` to carry out (by ``due_on``)."""
    on = today_or(on)
    text = (text or "").strip()
    with transaction.atomic():
        project = project_for(actor, project.pk)
        if not may_instruct(actor, project):
            raise PermissionDenied("只有领导可以作出批示")
        fields = {}
        if not text:
            fields["text"] = ["请填写批示内容"]
        if not units or any(u.region_id != project.region_id for u in units):
            fields["units"] = ["请选择本地区的责任单位"]
        if due_on is not None and due_on < on:
            fields["due_on"] = ["落实期限不能早于今天"]
        if problem is not None and problem.project_id != project.pk:
            fields["problem"] = ["该需协调事项不属于本项目"]
        if fields:
            raise ValidationFailed(fields=fields)
        instruction = Instruction.objects.create(
            project=project, problem=problem, text=text, leader=actor, issued_on=on, due_on=due_on
        )
        instruction.units.set(units)
        names = "、".join(u.name for u in units)
        subject = f"关于“{problem.title}”" if problem else ""
        due = f"，{due_on:%Y-%m-%d} 前落实" if due_on else ""
        event(
            project,
            ProjectEvent.Kind.INSTRUCTION,
            f"{actor.display_name}{subject}批示：{text}（责任单位：{names}{due}）",
            actor=actor,
            on=on,
            instruction=instruction.pk,
        )
        for unit in units:
            share_with(project, unit, actor)
            notify_unit(
                unit,
                title=f"领导批示：{project.name}"[:200],
                body=f"{actor.display_name}批示：{text}{due}",
                url=_url(project),
                level=NotificationLevel.URGENT,
            )
    return instruction


def instruction_reply(*, actor, instruction_id: int, text: str, on: date | None = None) -> Instruction:
    """A responsible unit reports how it carried out the 批示; the 批示 is done when every unit has."""
    on = today_or(on)
    text = (text or "").strip()
    with transaction.atomic():
        instruction = Instruction.objects.select_for_update().filter(pk=instruction_id).first()
        if instruction is None:
            raise NotFound()
        project = project_for(actor, instruction.project_id)
        units = pending_units(actor, instruction)
        if not units:
            if instruction.status == Instruction.Status.DONE:
                raise ValidationFailed("该批示已办结")
            raise PermissionDenied("只有批示的责任单位可以反馈落实情况")
        if not text:
            raise ValidationFailed("请填写落实情况", fields={"text": ["请填写落实情况"]})
        InstructionReply.objects.bulk_create(
            [InstructionReply(instruction=instruction, unit=u, author=actor, text=text, replied_on=on) for u in units]
        )
        names = "、".join(u.name for u in units)
        event(
            project,
            ProjectEvent.Kind.INSTRUCTION_REPLY,
            f"{names}反馈批示落实情况：{text}",
            actor=actor,
            on=on,
            instruction=instruction.pk,
        )
        if not instruction.units.exclude(pk__in=instruction.replies.values("unit_id")).exists():
            instruction.status, instruction.closed_on = Instruction.Status.DONE, on
            instruction.save(update_fields=["status", "closed_on"])
        notify_users(
            [instruction.leader],
            title=f"批示落实反馈：{project.name}"[:200],
            body=f"{names}：{text}"[:500],
            url=_url(project),
            kind=NoticeKind.SUPERVISION,
            urgent=False,
        )
        Project.objects.filter(pk=project.pk).update(last_progress_on=on)
        project.last_progress_on = on
        refresh_warning(project, today=on)
    return instruction


def pending_units(actor, instruction: Instruction) -> list[OrgUnit]:
    """The responsible units of the 批示 that the actor belongs to (its unit or one above it) and that have not
    reported yet."""
    if instruction.status != Instruction.Status.OPEN or actor.org_unit_id is None:
        return []
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        return []
    replied = instruction.replies.values("unit_id")
    return list(instruction.units.filter(pk__in=actor.org_unit.ancestor_ids()).exclude(pk__in=replied))
