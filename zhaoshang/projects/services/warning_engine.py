"""The warning engine's writes: a project's light and escalation, recomputed as one project changes
(``refresh_warning``) or for the whole library every night (``warnings_recompute``); an escalation
notifies who must know. The rules themselves are the pure ``projects.warnings.evaluate``."""

from datetime import date

from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from zhaoshang.accounts.models import User
from zhaoshang.core.bulk import update_rows
from zhaoshang.core.roles import Cap, Role, roles_with
from zhaoshang.notify.services import NoticeKind, NotificationLevel, notify_many

from .. import warnings
from ..models import Problem, Project, ProjectEvent, ProjectStage, Stage
from .config import rules_for
from .events import event, events_insert, today_or


def open_run(project: Project) -> ProjectStage | None:
    return project.stage_runs.filter(status=ProjectStage.Status.OPEN).select_related("stage", "owner_unit").first()


def open_runs_for(project_ids: list[int]) -> list[ProjectStage]:
    return list(
        ProjectStage.objects.filter(project_id__in=project_ids, status=ProjectStage.Status.OPEN).select_related(
            "stage", "owner_unit"
        )
    )


def refresh_warning(project: Project, *, today: date | None = None, rules=None) -> bool:
    """Recompute the project's light and escalation; notify on escalation. Returns whether it changed."""
    today = today_or(today)
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
        # Deferred rows are plain tuples, written by ``events_insert`` and ``notify_many`` as multi-row
        # INSERTs: at the first run over a freshly loaded library that is ~100,000 events and several
        # times as many notifications.
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
            event(project, kind, text, on=today, **data)

    def notify(self, users, *, title: str, body: str, url: str, level: str, kind: str = "") -> None:
        recipients = {u.pk for u in users if u.is_active}
        if self.deferred:
            self.notes += [(pk, level, title, body, url, kind) for pk in sorted(recipients)]
        else:
            notify_many([(pk, level, title, body, url, kind) for pk in recipients])

    def members(self, unit) -> list:
        if unit.pk not in self._members:
            self._members[unit.pk] = list(
                User.objects.filter(org_unit=unit, is_active=True, role__in=roles_with(Cap.BUSINESS_CHANGE))
            )
        return self._members[unit.pk]

    def leaders(self, region_id: int) -> list:
        if region_id not in self._leaders:
            self._leaders[region_id] = list(
                User.objects.filter(role=Role.LEADER, org_unit__region_id=region_id, is_active=True)
            )
        return self._leaders[region_id]

    def flush(self) -> None:
        update_rows(self.projects, self.FIELDS)
        events_insert(self.events)
        notify_many(self.notes)
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
        level=NotificationLevel.WARNING,
    )
    if level >= Project.Escalation.LEADER_INFORMED and project.lead_leader_id:
        writes.notify(
            [project.lead_leader],
            title=f"包保项目预警：{project.name}"[:200],
            body=reasons,
            url=url,
            level=NotificationLevel.WARNING,
            kind=NoticeKind.ESCALATION,
        )
    if level >= Project.Escalation.SUPERVISED:
        writes.notify(
            writes.leaders(project.region_id),
            title=f"列入督办：{project.name}"[:200],
            body=reasons,
            url=url,
            level=NotificationLevel.URGENT,
        )


def _batch_context(batch: list[Project], context: dict[int, tuple]) -> tuple[dict, dict, dict]:
    """What evaluating a batch needs beyond the projects: open stages, open problems' deadlines, stages done
    after signing (three queries), and each new county's rules and stages (``context``, filled in place)."""
    ids = [p.pk for p in batch]
    runs = {r.project_id: r for r in open_runs_for(ids)}
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
    return runs, problems, done


def warnings_recompute(*, region_id: int | None = None, today: date | None = None, chunk: int = 1000) -> int:
    """The daily recomputation of every project's light (idempotent), in batches: three queries per
    ``chunk`` projects plus one write per project whose light or escalation changed."""
    today = today_or(today)
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
        runs, problems, done = _batch_context(batch, context)
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
