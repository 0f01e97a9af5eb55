"""A project's lifecycle: create, edit, delete, and advance through the county's stages (relay handoffs:
the unit that owes the next stage is told and given sight of the project)."""

from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core import services as core
from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE
from zhaoshang.core.workdays import add_workdays
from zhaoshang.notify.services import NotificationLevel, notify_unit

from .. import signals
from ..models import ChecklistEntry, Project, ProjectEvent, ProjectStage, Stage
from .config import ensure_default_stages
from .events import event, today_or
from .warning_engine import open_run, refresh_warning


def share_with(project: Project, unit: OrgUnit, actor) -> None:
    """A department that owes work on a project must see it: share it with the unit (read only)."""
    if unit.pk in project.org_unit.subtree_ids() or unit.region_id != project.region_id:
        return
    core.object_share(obj=project, org_unit=unit, actor=actor)


def project_for(actor, project_id: int) -> Project:
    project = Project.objects.restrict(actor).filter(pk=project_id).first()
    if project is None:
        raise NotFound()
    return project


def _due(stage: Stage, opened: date) -> date | None:
    if not stage.time_limit:
        return None
    if stage.limit_unit == Stage.LimitUnit.WORKDAYS:
        return add_workdays(opened, stage.time_limit)
    return opened + timedelta(days=stage.time_limit)


def _open_run(project: Project, stage: Stage, actor, on: date) -> ProjectStage:
    owner = stage.owner_unit or project.org_unit
    run = ProjectStage.objects.create(
        project=project, stage=stage, owner_unit=owner, opened_on=on, due_on=_due(stage, on)
    )
    ChecklistEntry.objects.bulk_create(
        [
            ChecklistEntry(
                run=run, item=item, title=item.title, owner_unit=item.owner_unit or owner, required=item.required
            )
            for item in stage.checklist.all()
        ]
    )
    for unit in {owner, *(e.owner_unit for e in run.entries.select_related("owner_unit"))}:
        share_with(project, unit, actor)
    project.stage = stage
    return run


def _handoff_notice(project: Project, run: ProjectStage, previous: ProjectStage | None) -> None:
    url = reverse("projects:project_detail", args=[project.pk])
    due = f"，办理期限 {run.due_on:%Y-%m-%d}" if run.due_on else ""
    source = f"“{previous.stage.name}”已由{previous.owner_unit.name}办结，" if previous else ""
    notify_unit(
        run.owner_unit,
        title=f"接棒：{project.name} 进入“{run.stage.name}”阶段",
        url=url,
        body=f"{source}请贵单位办理“{run.stage.name}”{due}。",
        level=NotificationLevel.HANDOFF,
    )
    for unit in {e.owner_unit for e in run.entries.all()} - {run.owner_unit}:
        notify_unit(
            unit,
            title=f"{project.name}：“{run.stage.name}”阶段有贵单位负责的事项",
            url=url,
            level=NotificationLevel.HANDOFF,
        )


def _next_code(region: OrgUnit, year: int) -> str:
    prefix = f"{region.code.upper()[:6]}-{year}-"
    last = Project.all_objects.filter(code__startswith=prefix).aggregate(m=Max("code"))["m"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


PROJECT_FIELDS = {n for f in Project._meta.concrete_fields if f.editable for n in (f.name, f.attname)} - {
    "code",
    "region",
    "region_id",
}


def project_create(*, actor, data: dict[str, Any], on: date | None = None) -> Project:
    """Create a project at the county's first stage; its introducing unit owns it (default: the actor's)."""
    on = today_or(on)
    unknown = set(data) - PROJECT_FIELDS
    if unknown:
        raise ValidationFailed(fields={k: ["不允许设置该字段"] for k in unknown})
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    with transaction.atomic():
        unit = data.get("org_unit") or actor.org_unit
        stages = ensure_default_stages(unit.region)
        if not stages:
            raise ValidationFailed("本地区还没有启用的项目阶段，请联系系统管理员配置")
        for attempt in range(3):
            try:
                with transaction.atomic():
                    project = core.object_create(
                        model=Project,
                        actor=actor,
                        data={
                            **data,
                            "code": _next_code(unit.region, on.year),
                            "stage": stages[0],
                            "first_contact_actual": data.get("first_contact_actual") or on,
                            "last_progress_on": on,
                        },
                    )
                break
            except IntegrityError:
                if attempt == 2:
                    raise
        run = _open_run(project, stages[0], actor, on)
        event(
            project,
            ProjectEvent.Kind.CREATED,
            f"{actor.display_name}（{unit.name}）建立项目，进入“{run.stage.name}”阶段",
            actor=actor,
            on=on,
        )
        if run.owner_unit_id != actor.org_unit_id:
            _handoff_notice(project, run, None)
        refresh_warning(project, today=on)
    return project


def project_update(*, actor, project: Project, data: dict[str, Any], version: int) -> Project:
    unknown = set(data) - PROJECT_FIELDS
    if unknown:
        raise ValidationFailed(fields={k: ["不允许修改该字段"] for k in unknown})
    with transaction.atomic():
        project = core.object_update(obj=project, actor=actor, data=data, version=version)
        refresh_warning(project)
    return project


def project_delete(*, actor, project: Project, version: int | None = None) -> Project:
    return core.object_delete(obj=project, actor=actor, version=version)


# --- advancing ------------------------------------------------------------------------------------


def may_advance(actor, project: Project, run: ProjectStage) -> bool:
    """The stage's owner unit, the introducing unit, or both, as the stage says; leaders always."""
    if actor.has_capability(Cap.ADVANCE_ANY_STAGE) and project.region_id == actor.region_id:
        return True
    if not actor.has_capability(Cap.BUSINESS_CHANGE) or actor.org_unit_id is None:
        return False
    is_owner = run.owner_unit_id in actor.org_unit.subtree_ids()
    is_introducer = Project.objects.restrict(actor, CHANGE).filter(pk=project.pk).exists()
    return {
        Stage.Advancer.OWNER: is_owner,
        Stage.Advancer.INTRODUCER: is_introducer,
        Stage.Advancer.EITHER: is_owner or is_introducer,
    }[run.stage.advancer]


def who_fills(project: Project, run: ProjectStage) -> str:
    """Who may fill the open stage's required fields, in words: "市场监督管理局或引进单位店口镇"."""
    if run.owner_unit_id == project.org_unit_id:
        return run.owner_unit.name
    return f"{run.owner_unit.name}或引进单位{project.org_unit.name}"


def missing_to_leave(project: Project, run: ProjectStage) -> dict[str, list[str]]:
    """What must be done before the stage can close, and who does it: required fields (filled in place on the
    project page by the stage's owner or the introducing unit) and open required checklist items (each by
    its unit)."""
    missing: dict[str, list[str]] = {}
    for name in run.stage.required_fields:
        value = getattr(project, name, None)
        if value in (None, ""):
            label = Project._meta.get_field(name).verbose_name
            missing.setdefault(name, []).append(
                f"离开“{run.stage.name}”阶段前须填写“{label}”（由{who_fills(project, run)}填写）"
            )
    open_items = [e for e in run.entries.select_related("owner_unit") if e.required and e.done_on is None]
    if open_items:
        items = "、".join(f"{e.title}（{e.owner_unit.name}）" for e in open_items)
        missing["checklist"] = [f"清单事项未完成：{items}"]
    return missing


def project_advance(
    *, actor, project: Project, to_stage: Stage | None = None, reason: str = "", on: date | None = None
) -> Project:
    """Close the open stage and open ``to_stage`` (default: the next one). Going back needs a reason;
    skipping stages needs the permission and a reason. Closing the last stage finishes the lifecycle."""
    on = today_or(on)
    reason = (reason or "").strip()
    with transaction.atomic():
        project = Project.objects.restrict(actor).select_for_update().filter(pk=project.pk).first()
        if project is None:
            raise NotFound()
        run = open_run(project)
        if run is None:
            raise ValidationFailed("该项目已完成全部阶段")
        if not may_advance(actor, project, run):
            raise PermissionDenied(f"“{run.stage.name}”阶段由{run.owner_unit.name}推进，您没有推进权限")
        stages = list(Stage.objects.filter(region=project.region, is_active=True).order_by("order"))
        position = next(i for i, s in enumerate(stages) if s.pk == run.stage_id)
        target_index = (
            position + 1 if to_stage is None else next((i for i, s in enumerate(stages) if s.pk == to_stage.pk), None)
        )
        if target_index is None:
            raise ValidationFailed(fields={"to_stage": ["目标阶段不存在或未启用"]})
        if target_index == position:
            raise ValidationFailed(fields={"to_stage": ["项目已处于该阶段"]})
        before = snapshot(project)
        if target_index < position:
            _go_back(actor, project, run, stages[target_index], reason, on)
        else:
            _go_forward(actor, project, run, stages, position, target_index, reason, on)
        project.last_progress_on = on
        project.version += 1
        project.updated_by = actor
        project.save()
        log_change(actor=actor, obj=project, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(project))
        refresh_warning(project, today=on)
    return project


def _go_back(actor, project: Project, run: ProjectStage, target: Stage, reason: str, on: date) -> None:
    if not reason:
        raise ValidationFailed("退回上一阶段须说明原因", fields={"reason": ["请填写退回原因"]})
    _close(run, ProjectStage.Status.REVERTED, actor, on)
    new_run = _open_run(project, target, actor, on)
    event(
        project,
        ProjectEvent.Kind.REVERTED,
        f"从“{run.stage.name}”退回“{new_run.stage.name}”：{reason}",
        actor=actor,
        on=on,
        reason=reason,
    )
    _handoff_notice(project, new_run, None)
    signals.stage_opened.send(Project, project=project, stage_code=new_run.stage.code, actor=actor, on=on)


def _go_forward(
    actor, project: Project, run: ProjectStage, stages: list[Stage], position: int, target_index: int, reason, on
) -> None:
    if target_index > position + 1:
        if not actor.has_capability(Cap.SKIP_STAGE):
            raise PermissionDenied("跳过阶段需要相应权限")
        if not reason:
            raise ValidationFailed("跳过阶段须说明原因", fields={"reason": ["请填写跳过原因"]})
    missing = missing_to_leave(project, run)
    if missing:
        raise ValidationFailed(f"“{run.stage.name}”阶段还不能办结", fields=missing)
    _close(run, ProjectStage.Status.DONE, actor, on)
    _record_date(project, run.stage, on)
    signals.stage_closed.send(Project, project=project, stage_code=run.stage.code, actor=actor, on=on)
    text = f"{run.owner_unit.name}办结“{run.stage.name}”"
    for skipped in stages[position + 1 : target_index]:
        skipped_run = ProjectStage.objects.create(
            project=project,
            stage=skipped,
            owner_unit=skipped.owner_unit or project.org_unit,
            opened_on=on,
            closed_on=on,
            status=ProjectStage.Status.SKIPPED,
            closed_by=actor,
        )
        event(
            project,
            ProjectEvent.Kind.SKIPPED,
            f"跳过“{skipped_run.stage.name}”：{reason}",
            actor=actor,
            on=on,
            reason=reason,
        )
    if target_index >= len(stages):
        event(project, ProjectEvent.Kind.ADVANCED, f"{text}，项目全生命周期完成", actor=actor, on=on)
        return
    new_run = _open_run(project, stages[target_index], actor, on)
    event(project, ProjectEvent.Kind.ADVANCED, text, actor=actor, on=on)
    event(
        project,
        ProjectEvent.Kind.HANDOFF,
        f"交棒：{new_run.owner_unit.name}接办“{new_run.stage.name}”"
        + (f"，期限 {new_run.due_on:%Y-%m-%d}" if new_run.due_on else ""),
        actor=actor,
        on=on,
    )
    _handoff_notice(project, new_run, run)
    signals.stage_opened.send(Project, project=project, stage_code=new_run.stage.code, actor=actor, on=on)


def _close(run: ProjectStage, status: str, actor, on: date) -> None:
    run.status, run.closed_on, run.closed_by = status, on, actor
    run.save(update_fields=["status", "closed_on", "closed_by"])


def _record_date(project: Project, stage: Stage, on: date) -> None:
    if stage.completes_date and getattr(project, f"{stage.completes_date}_actual") is None:
        setattr(project, f"{stage.completes_date}_actual", on)
