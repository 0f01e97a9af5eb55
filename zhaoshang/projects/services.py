"""Writes to projects: create, edit, advance through stages (relay handoffs), checklists, problems,
follow-ups and warnings. Every function is atomic, checks scope and permission, writes the change log
for record changes and a ``ProjectEvent`` in business words, and notifies the unit that must act.

``on`` (a date) lets the demo data and imports record history; pages and the API use today.
"""

from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core import services as core
from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.bulk import insert_rows, update_rows
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange, ObjectShare
from zhaoshang.core.roles import Cap, Role
from zhaoshang.core.scope import CHANGE
from zhaoshang.core.workdays import add_workdays
from zhaoshang.notify.models import Notification
from zhaoshang.notify.services import notify_unit, notify_users

from . import warnings
from .models import ChecklistEntry, FollowUp, Problem, ProblemComment, Project, ProjectEvent, ProjectStage, Stage
from .stages import ensure_default_stages, rules_for


def _today(on: date | None) -> date:
    return on or timezone.localdate()


def event(project: Project, kind: str, text: str, *, actor=None, on: date | None = None, **data) -> ProjectEvent:
    return ProjectEvent.objects.create(
        project=project, kind=kind, text=text[:300], actor=actor, occurred_on=_today(on), data=data
    )


def _share_with(project: Project, unit: OrgUnit, actor) -> None:
    """A department that owes work on a project must see it: share it with the unit (read only)."""
    if unit.pk in project.org_unit.subtree_ids() or unit.region_id != project.region_id:
        return
    from django.contrib.contenttypes.models import ContentType

    ObjectShare.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(Project),
        object_id=project.pk,
        org_unit=unit,
        defaults={"created_by": actor},
    )


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
        _share_with(project, unit, actor)
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
        level=Notification.Level.TASK,
    )
    for unit in {e.owner_unit for e in run.entries.all()} - {run.owner_unit}:
        notify_unit(
            unit,
            title=f"{project.name}：“{run.stage.name}”阶段有贵单位负责的事项",
            url=url,
            level=Notification.Level.TASK,
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
    on = _today(on)
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


def open_run(project: Project) -> ProjectStage | None:
    return project.stage_runs.filter(status=ProjectStage.Status.OPEN).select_related("stage", "owner_unit").first()


def may_advance(actor, project: Project, run: ProjectStage) -> bool:
    """The stage's owner unit, the introducing unit, or both, as the stage says; leaders always."""
    if actor.role == "leader" and project.region_id == actor.region_id:
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


def missing_to_leave(project: Project, run: ProjectStage) -> dict[str, list[str]]:
    """What must be done before the stage can close: required fields and open required checklist items."""
    missing: dict[str, list[str]] = {}
    for name in run.stage.required_fields:
        value = getattr(project, name, None)
        if value in (None, ""):
            label = Project._meta.get_field(name).verbose_name
            missing.setdefault(name, []).append(f"离开“{run.stage.name}”阶段前须填写“{label}”")
    open_items = [e.title for e in run.entries.all() if e.required and e.done_on is None]
    if open_items:
        missing["checklist"] = [f"清单事项未完成：{'、'.join(open_items)}"]
    return missing


def project_advance(
    *, actor, project: Project, to_stage: Stage | None = None, reason: str = "", on: date | None = None
) -> Project:
    """Close the open stage and open ``to_stage`` (default: the next one). Going back needs a reason;
    skipping stages needs the permission and a reason. Closing the last stage finishes the lifecycle."""
    on = _today(on)
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
            if not reason:
                raise ValidationFailed("退回上一阶段须说明原因", fields={"reason": ["请填写退回原因"]})
            _close(run, ProjectStage.Status.REVERTED, actor, on)
            new_run = _open_run(project, stages[target_index], actor, on)
            event(
                project,
                ProjectEvent.Kind.REVERTED,
                f"从“{run.stage.name}”退回“{new_run.stage.name}”：{reason}",
                actor=actor,
                on=on,
                reason=reason,
            )
            _handoff_notice(project, new_run, None)
        else:
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
            if target_index < len(stages):
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
            else:
                event(project, ProjectEvent.Kind.ADVANCED, f"{text}，项目全生命周期完成", actor=actor, on=on)
        project.last_progress_on = on
        project.version += 1
        project.updated_by = actor
        project.save()
        log_change(actor=actor, obj=project, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(project))
        refresh_warning(project, today=on)
    return project


def _close(run: ProjectStage, status: str, actor, on: date) -> None:
    run.status, run.closed_on, run.closed_by = status, on, actor
    run.save(update_fields=["status", "closed_on", "closed_by"])


def _record_date(project: Project, stage: Stage, on: date) -> None:
    if stage.completes_date and getattr(project, f"{stage.completes_date}_actual") is None:
        setattr(project, f"{stage.completes_date}_actual", on)


# --- checklist, problems, follow-ups --------------------------------------------------------------


def _project_for(actor, project_id: int) -> Project:
    project = Project.objects.restrict(actor).filter(pk=project_id).first()
    if project is None:
        raise NotFound()
    return project


def checklist_set(*, actor, entry_id: int, done: bool, note: str = "", on: date | None = None) -> ChecklistEntry:
    """Tick (or untick) a checklist item: its owner unit or the introducing unit may."""
    on = _today(on)
    with transaction.atomic():
        entry = (
            ChecklistEntry.objects.select_related("run__project", "run__stage", "owner_unit")
            .filter(pk=entry_id)
            .first()
        )
        if entry is None:
            raise NotFound()
        project = _project_for(actor, entry.run.project_id)
        if entry.run.status != ProjectStage.Status.OPEN:
            raise ValidationFailed("该阶段已办结，清单不能再修改")
        mine = actor.org_unit_id is not None and entry.owner_unit_id in actor.org_unit.subtree_ids()
        introducer = Project.objects.restrict(actor, CHANGE).filter(pk=project.pk).exists()
        if not actor.has_capability(Cap.BUSINESS_CHANGE) or not (mine or introducer):
            raise PermissionDenied(f"该事项由{entry.owner_unit.name}负责")
        entry.done_on, entry.done_by = (on, actor) if done else (None, None)
        entry.note = note[:200]
        entry.save(update_fields=["done_on", "done_by", "note"])
        event(
            project,
            ProjectEvent.Kind.CHECKLIST,
            f"{actor.org_unit.name if actor.org_unit_id else ''}{'完成' if done else '撤销完成'}“{entry.title}”",
            actor=actor,
            on=on,
        )
        Project.objects.filter(pk=project.pk).update(last_progress_on=on)
        project.last_progress_on = on
        refresh_warning(project, today=on)
    return entry


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
    on = _today(on)
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
        project = _project_for(actor, project.pk)
        problem = Problem.objects.create(
            project=project,
            title=title.strip()[:200],
            description=description,
            owner_unit=owner_unit,
            due_on=due_on,
            raised_by=actor,
            raised_on=on,
        )
        _share_with(project, owner_unit, actor)
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
            level=Notification.Level.TASK,
        )
        refresh_warning(project, today=on)
    return problem


def _problem_for(actor, problem_id: int) -> Problem:
    problem = Problem.objects.select_related("project", "owner_unit").filter(pk=problem_id).first()
    if problem is None or not Project.objects.restrict(actor).filter(pk=problem.project_id).exists():
        raise NotFound()
    return problem


def problem_resolve(*, actor, problem_id: int, resolution: str, on: date | None = None) -> Problem:
    on = _today(on)
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


def followup_add(*, actor, project: Project, kind: str, date_: date, summary: str, next_step: str = "") -> FollowUp:
    if not (summary or "").strip():
        raise ValidationFailed(fields={"summary": ["请填写跟进内容"]})
    if kind not in FollowUp.Kind.values:
        raise ValidationFailed(fields={"kind": ["跟进方式无效"]})
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    with transaction.atomic():
        project = _project_for(actor, project.pk)
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


# --- warnings -------------------------------------------------------------------------------------


def refresh_warning(project: Project, *, today: date | None = None, rules=None) -> bool:
    """Recompute the project's light and escalation; notify on escalation. Returns whether it changed."""
    today = _today(today)
    rules = rules or rules_for(project.region_id)
    run = open_run(project)
    problems = list(project.problems.filter(status=Problem.Status.OPEN).values_list("due_on", flat=True))
    stages = list(Stage.objects.filter(region_id=project.region_id, is_active=True).order_by("order"))
    signing = next((s.order for s in stages if s.completes_date == "signed"), None)
    after = [s for s in stages if signing is not None and s.order > signing]
    done = project.stage_runs.filter(status__in=["done", "skipped"], stage__in=after).values("stage").distinct().count()
    verdict = warnings.evaluate(
        project, run, problems, rules, today, done_after_signing=done, stages_after_signing=len(after)
    )
    return apply_verdict(project, verdict, run, rules, today)


class _Writes:
    """Where warning changes go: straight to the database (one project), or collected and written in
    bulk at the end of a batch (the nightly recomputation). Unit members and leaders are looked up once."""

    FIELDS = ["light", "warning_reasons", "warning_since", "escalation", "is_dormant"]

    def __init__(self, *, deferred: bool) -> None:
        self.deferred = deferred
        self.projects: list[Project] = []
        # Deferred rows are plain tuples written with one executemany each: at the first run over a
        # freshly loaded library that is ~100,000 events and several times as many notifications, and
        # building a model instance for each cost more than the database spends storing them.
        self.events: list[tuple] = []
        self.notes: list[tuple] = []
        self._members: dict[int, list] = {}
        self._leaders: dict[int, list] = {}
        self._url: tuple[str, str] | None = None

    def detail_url(self, pk: int) -> str:
        """The project page's address (resolved once, not once per project)."""
        if self._url is None:
            marker = 987654321
            head, tail = reverse("projects:project_detail", args=[marker]).split(str(marker))
            self._url = (head, tail)
        return f"{self._url[0]}{pk}{self._url[1]}"

    def project(self, project: Project) -> None:
        if self.deferred:
            self.projects.append(project)
        else:
            Project.objects.filter(pk=project.pk).update(**{f: getattr(project, f) for f in self.FIELDS})

    def event(self, project: Project, kind: str, text: str, today: date, **data) -> None:
        if self.deferred:
            self.events.append((project.pk, kind, text[:300], today, data))
        else:
            ProjectEvent.objects.create(project=project, kind=kind, text=text[:300], occurred_on=today, data=data)

    def notify(self, users, *, title: str, body: str, url: str, level: str) -> None:
        recipients = {u.pk for u in users if u.is_active}
        if self.deferred:
            self.notes += [(pk, level, title, body, url) for pk in sorted(recipients)]
        else:
            Notification.objects.bulk_create(
                [Notification(recipient_id=pk, title=title, body=body, url=url, level=level) for pk in recipients]
            )

    def members(self, unit) -> list:
        from zhaoshang.accounts.models import User

        if unit.pk not in self._members:
            self._members[unit.pk] = list(
                User.objects.filter(org_unit=unit, is_active=True, role__in=Role.business_roles())
            )
        return self._members[unit.pk]

    def leaders(self, region_id: int) -> list:
        from zhaoshang.accounts.models import User

        if region_id not in self._leaders:
            self._leaders[region_id] = list(
                User.objects.filter(role=Role.LEADER, org_unit__region_id=region_id, is_active=True)
            )
        return self._leaders[region_id]

    def flush(self) -> None:
        update_rows(self.projects, self.FIELDS)
        if self.events or self.notes:
            import json

            from django.db import connection

            ops = connection.ops
            now = ops.adapt_datetimefield_value(timezone.now())
            jsonb = "::jsonb" if connection.vendor == "postgresql" else ""
            with connection.cursor() as cursor:
                insert_rows(
                    cursor,
                    ProjectEvent._meta.db_table,
                    ["project_id", "kind", "text", "occurred_on", "created_at", "data"],
                    [
                        (pk, kind, text, ops.adapt_datefield_value(on), now, json.dumps(data, ensure_ascii=False))
                        for pk, kind, text, on, data in self.events
                    ],
                    casts={"data": jsonb},
                )
                insert_rows(
                    cursor,
                    Notification._meta.db_table,
                    ["recipient_id", "level", "title", "body", "url", "created_at"],
                    [(*row, now) for row in self.notes],
                )
        self.projects, self.events, self.notes = [], [], []


def apply_verdict(project: Project, verdict, run, rules, today: date, writes: _Writes | None = None) -> bool:
    """Store the verdict if it changed anything; on escalation, notify who must know."""
    writes = writes or _Writes(deferred=False)
    since = project.warning_since if project.light != Project.Light.GREEN else None
    if verdict.light != Project.Light.GREEN and since is None:
        since = today
    if verdict.light == Project.Light.GREEN:
        since = None
    level = warnings.escalation_level(verdict.light, since, rules, today)
    current = (project.light, project.warning_reasons, project.escalation, project.is_dormant, project.warning_since)
    if (verdict.light, verdict.reasons, level, verdict.dormant, since) == current:
        return False
    old_light, old_level, dormant_before = project.light, project.escalation, project.is_dormant
    project.light, project.warning_reasons, project.warning_since = verdict.light, verdict.reasons, since
    project.escalation, project.is_dormant = level, verdict.dormant
    writes.project(project)
    if verdict.light != old_light:
        reasons = f"：{'；'.join(verdict.reasons)}" if verdict.reasons else ""
        writes.event(
            project,
            ProjectEvent.Kind.WARNING,
            f"预警灯由{Project.Light(old_light).label}变为{Project.Light(verdict.light).label}{reasons}",
            today,
        )
    if level > old_level:
        _escalate(project, level, run, today, writes)
    if verdict.dormant and not dormant_before:
        writes.event(project, ProjectEvent.Kind.DORMANT, "长期无进展，移出在库项目", today)
    return True


def _escalate(project: Project, level: int, run: ProjectStage | None, today: date, writes: _Writes) -> None:
    url = writes.detail_url(project.pk)
    reasons = "；".join(project.warning_reasons)
    owner = run.owner_unit if run else project.org_unit
    label = Project.Escalation(level).label
    writes.event(project, ProjectEvent.Kind.ESCALATED, f"{label}：{reasons}", today, level=level)
    writes.notify(
        writes.members(owner),
        title=f"预警提醒：{project.name}"[:200],
        body=reasons,
        url=url,
        level=Notification.Level.WARNING,
    )
    if level >= Project.Escalation.LEADER_INFORMED and project.lead_leader_id:
        writes.notify(
            [project.lead_leader],
            title=f"包保项目预警：{project.name}"[:200],
            body=reasons,
            url=url,
            level=Notification.Level.WARNING,
        )
    if level >= Project.Escalation.SUPERVISED:
        writes.notify(
            writes.leaders(project.region_id),
            title=f"列入督办：{project.name}"[:200],
            body=reasons,
            url=url,
            level=Notification.Level.URGENT,
        )


def warnings_recompute(*, region_id: int | None = None, today: date | None = None, chunk: int = 1000) -> int:
    """The daily recomputation of every project's light (idempotent), in batches: three queries per
    ``chunk`` projects plus one write per project whose light or escalation changed."""
    from django.db.models import Count

    today = _today(today)
    projects = Project.objects.filter(deleted_at__isnull=True).order_by("pk")
    if region_id:
        projects = projects.filter(region_id=region_id)
    changed = 0
    context: dict[int, tuple] = {}
    last_pk = 0
    while True:
        batch = list(projects.filter(pk__gt=last_pk).select_related("org_unit", "lead_leader")[:chunk])
        if not batch:
            return changed
        last_pk = batch[-1].pk
        ids = [p.pk for p in batch]
        runs = {
            r.project_id: r
            for r in ProjectStage.objects.filter(project_id__in=ids, status=ProjectStage.Status.OPEN).select_related(
                "stage", "owner_unit"
            )
        }
        problems: dict[int, list[date]] = {}
        for project_id, due in Problem.objects.filter(project_id__in=ids, status=Problem.Status.OPEN).values_list(
            "project_id", "due_on"
        ):
            problems.setdefault(project_id, []).append(due)
        for project in batch:
            if project.region_id not in context:
                stages = list(Stage.objects.filter(region_id=project.region_id, is_active=True).order_by("order"))
                signing = next((s.order for s in stages if s.completes_date == "signed"), None)
                after = [s.pk for s in stages if signing is not None and s.order > signing]
                context[project.region_id] = (rules_for(project.region_id), after)
        all_after = {pk for _, after in context.values() for pk in after}
        done = dict(
            ProjectStage.objects.filter(project_id__in=ids, status__in=["done", "skipped"], stage_id__in=all_after)
            .values("project_id")
            .annotate(n=Count("stage", distinct=True))
            .values_list("project_id", "n")
        )
        writes = _Writes(deferred=True)
        with transaction.atomic():
            for project in batch:
                rules, after = context[project.region_id]
                run = runs.get(project.pk)
                verdict = warnings.evaluate(
                    project,
                    run,
                    problems.get(project.pk, []),
                    rules,
                    today,
                    done_after_signing=done.get(project.pk, 0),
                    stages_after_signing=len(after),
                )
                changed += apply_verdict(project, verdict, run, rules, today, writes)
            writes.flush()


def open_runs_for(project_ids: list[int]) -> list[ProjectStage]:
    return list(
        ProjectStage.objects.filter(project_id__in=project_ids, status=ProjectStage.Status.OPEN).select_related(
            "stage", "owner_unit"
        )
    )
