"""Reads of projects for the lifecycle's own pages: lists, the board, a department's to-do, the 督办 list
(lights, 督办 by hand, 批示), the leaders' lists and a project's timeline."""

from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from zhaoshang.core.errors import NotFound
from zhaoshang.core.lists import ListResult, filtered_list

from ..filters import ProjectFilter
from ..models import (
    ChecklistAttachment,
    ChecklistEntry,
    Instruction,
    Problem,
    Project,
    ProjectStage,
    Stage,
    Supervision,
)
from ..stages import ensure_default_stages


def project_list(*, user, filters) -> ListResult:
    base = Project.objects.restrict(user).select_related("stage", "org_unit", "town", "industry", "investor")
    return filtered_list(ProjectFilter, base, filters, user=user)


def project_get(*, user, pk: int, action: str = "view") -> Project:
    project = (
        Project.objects.restrict(user, action)
        .select_related(
            "stage", "org_unit", "town", "industry", "investor", "operating_company", "lead_leader", "chief_servant"
        )
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise NotFound()
    return project


def stages_for(user) -> list[Stage]:
    """The user's county's active stages (the defaults are created the first time they are needed)."""
    if not user.org_unit_id:
        return []
    return ensure_default_stages(user.org_unit.region)


# What a board card shows (projects/board.html); the rest of the row stays in the database.
BOARD_CARD_FIELDS = (
    "id",
    "name",
    "light",
    "grade",
    "stage_id",
    "escalation",
    "org_unit",
    "org_unit__name",
    "org_unit__short_name",
)


def board(*, user, filters, per_column: int = 15) -> list[dict]:
    """Columns by stage, each with its count and its first cards (most urgent first).

    The per-stage counts are one ``GROUP BY`` counting ``*`` (PostgreSQL answers it from the partial
    index ``project_live_stage_light_idx`` alone); each column's first ids come from a ``LIMIT`` on the index
    (region, stage, -escalation, id) — one tiny query per stage, which reads 15 index entries where a
    ``ROW_NUMBER() OVER (PARTITION BY stage)`` would sort the whole library —; then the cards of every
    column are loaded together with their open stage runs (two queries), only the fields a card shows.
    """
    queryset = project_list(user=user, filters=filters).queryset
    # order_by() first: the list's ordering would otherwise join the GROUP BY and count every row as 1.
    counts = dict(queryset.order_by().values("stage").annotate(n=Count("*")).values_list("stage", "n"))
    stages = stages_for(user)
    ids = {
        stage.pk: list(
            queryset.filter(stage=stage).order_by("-escalation", "id").values_list("pk", flat=True)[:per_column]
        )
        for stage in stages
        if counts.get(stage.pk)
    }
    cards = (
        Project.objects.filter(pk__in=[pk for column in ids.values() for pk in column])
        .select_related("org_unit")
        .only(*BOARD_CARD_FIELDS)
        .prefetch_related(
            Prefetch(
                "stage_runs",
                ProjectStage.objects.filter(status="open").select_related("owner_unit"),
                to_attr="open_runs",
            )
        )
        .in_bulk()
    )
    order = {"red": 0, "yellow": 1, "green": 2}
    return [
        {
            "stage": stage,
            "count": counts.get(stage.pk, 0),
            "cards": sorted(
                (cards[pk] for pk in ids.get(stage.pk, []) if pk in cards), key=lambda p: (order[p.light], p.pk)
            ),
        }
        for stage in stages
    ]


def department_todo(*, user) -> dict:
    """What the user's unit owes: open stages it owns, checklist items, problems — due date first."""
    if not user.org_unit_id:
        return {"runs": [], "entries": [], "problems": [], "instructions": []}
    units = user.org_unit.subtree_ids()
    runs = (
        ProjectStage.objects.filter(owner_unit_id__in=units, status="open", project__deleted_at__isnull=True)
        .select_related("project", "stage", "owner_unit")
        .order_by("due_on", "id")
    )
    entries = (
        ChecklistEntry.objects.filter(
            owner_unit_id__in=units, done_on__isnull=True, run__status="open", run__project__deleted_at__isnull=True
        )
        .select_related("run__project", "run__stage", "run__owner_unit", "owner_unit")
        .order_by("run__due_on", "id")
    )
    problems = (
        Problem.objects.filter(owner_unit_id__in=units, status="open", project__deleted_at__isnull=True)
        .select_related("project", "owner_unit")
        .order_by("due_on", "id")
    )
    instructions = instructions_pending_for(user=user).select_related("project", "leader").order_by("due_on", "id")
    return {
        "runs": list(runs[:200]),
        "entries": list(entries[:200]),
        "problems": list(problems[:200]),
        "instructions": list(instructions[:200]),
    }


def supervision_list(*, user, filters=None) -> ListResult:
    """督办: projects put on the list by hand (first) and projects whose light is not green, worst first
    (leaders see the county; others their scope)."""
    listed = project_list(user=user, filters=filters or {})
    by_hand = Supervision.objects.filter(project=OuterRef("pk"), lifted_on__isnull=True)
    queryset = (
        listed.queryset.annotate(by_hand=Exists(by_hand))
        .filter(Q(by_hand=True) | ~Q(light=Project.Light.GREEN))
        .order_by("-by_hand", "-escalation", "warning_since", "id")
        .prefetch_related(
            Prefetch(
                "stage_runs",
                ProjectStage.objects.filter(status="open").select_related("owner_unit", "stage"),
                to_attr="open_runs",
            ),
            Prefetch(
                "supervisions",
                Supervision.objects.filter(lifted_on__isnull=True).select_related("raised_by"),
                to_attr="open_supervisions",
            ),
        )
    )
    return ListResult(listed.filterset, queryset)


def supervision_counts(*, user, today: date) -> dict[str, int]:
    """How many live projects in scope are under 督办 (computed, and put there by hand), yellow, red; and how
    many open stages of them are past
    their deadline (two queries)."""
    projects = Project.objects.restrict(user).filter(is_dormant=False)
    counts = projects.aggregate(
        supervised=Count("id", filter=Q(escalation__gte=Project.Escalation.SUPERVISED)),
        yellow=Count("id", filter=Q(light=Project.Light.YELLOW)),
        red=Count("id", filter=Q(light=Project.Light.RED)),
        manual=Count(
            "id", filter=Q(Exists(Supervision.objects.filter(project=OuterRef("pk"), lifted_on__isnull=True)))
        ),
    )
    counts["late_stages"] = ProjectStage.objects.filter(
        status="open", due_on__lt=today, project__in=projects.values("pk")
    ).count()
    return counts


def instruction_list(*, user, status: str = Instruction.Status.OPEN, limit: int = 100) -> list[Instruction]:
    """领导批示 on the projects the user sees, by deadline (none last), with their units and replies."""
    return list(
        Instruction.objects.filter(status=status, project__in=Project.objects.restrict(user).values("pk"))
        .select_related("project", "leader", "problem")
        .prefetch_related("units", "replies__unit")
        .order_by(F("due_on").asc(nulls_last=True), "issued_on", "id")[:limit]
    )


def project_instructions(project: Project) -> list[Instruction]:
    return list(
        project.instructions.select_related("leader", "problem").prefetch_related(
            "units", "replies__unit", "replies__author"
        )
    )


def instructions_pending_for(*, user) -> QuerySet:
    """Open 批示 naming the user's unit (or one above it) which has not reported yet (a queryset)."""
    units = user.org_unit.ancestor_ids()
    return (
        Instruction.objects.filter(status=Instruction.Status.OPEN, units__in=units, project__deleted_at__isnull=True)
        .exclude(replies__unit__in=units)
        .distinct()
    )


def checklist_attachment_get(*, user, project_id: int, pk: int) -> ChecklistAttachment:
    """An attachment of a project the user may view; NotFound otherwise."""
    attachment = (
        ChecklistAttachment.objects.filter(pk=pk, entry__run__project_id=project_id)
        .filter(entry__run__project__in=Project.objects.restrict(user).values("pk"))
        .first()
    )
    if attachment is None:
        raise NotFound()
    return attachment


def three_not(*, user, idle_days: int = 60) -> dict[str, list[Project]]:
    """三未: 批而未开 (signed or land supplied, not started), 开而未建 (started, no progress for
    ``idle_days``), 建而未竣 (started, past the planned completion, not completed)."""
    today = timezone.localdate()
    base = Project.objects.restrict(user).filter(is_dormant=False).select_related("stage", "org_unit")
    started = base.filter(construction_start_actual__isnull=False)
    return {
        "approved_not_started": list(
            base.filter(signed_actual__isnull=False, construction_start_actual__isnull=True).order_by("signed_actual")[
                :200
            ]
        ),
        "started_not_building": list(
            started.filter(
                completion_actual__isnull=True, last_progress_on__lt=today - timedelta(days=idle_days)
            ).order_by("last_progress_on")[:200]
        ),
        "building_not_completed": list(
            started.filter(completion_actual__isnull=True, completion_planned__lt=today).order_by("completion_planned")[
                :200
            ]
        ),
    }


def stuck_by_department(*, user) -> list[dict]:
    """Open stages past their deadline, grouped by the department that owns them."""
    today = timezone.localdate()
    visible = Project.objects.restrict(user).values("pk")
    runs = (
        ProjectStage.objects.filter(status="open", due_on__lt=today, project__in=visible)
        .select_related("owner_unit", "project", "stage")
        .order_by("owner_unit__name", "due_on")
    )
    groups: dict[int, dict] = {}
    for run in runs:
        group = groups.setdefault(run.owner_unit_id, {"unit": run.owner_unit, "runs": []})
        run.days_late = (today - run.due_on).days
        group["runs"].append(run)
    return sorted(groups.values(), key=lambda g: -len(g["runs"]))


def horse_race(*, user, year: int, month: int) -> list[dict]:
    """赛马榜: introducing units ranked by what their projects achieved in the month (signed, started,
    in production) and by funds in place (total investment of projects signed this year)."""
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    base = Project.objects.restrict(user).filter(deleted_at__isnull=True)
    in_month = lambda f: Q(**{f"{f}__gte": start, f"{f}__lt": end})  # noqa: E731
    rows = base.values("org_unit", "org_unit__name").annotate(
        signed=Count("id", filter=in_month("signed_actual")),
        started=Count("id", filter=in_month("construction_start_actual")),
        producing=Count("id", filter=in_month("production_actual")),
        funds=Sum("total_investment", filter=Q(signed_actual__year=year, signed_actual__lt=end)),
        red=Count("id", filter=Q(light="red")),
    )
    ranked = [dict(r, score=r["signed"] * 3 + r["started"] * 3 + r["producing"] * 2) for r in rows]
    ranked.sort(key=lambda r: (-r["score"], -(r["funds"] or 0), r["org_unit__name"]))
    for index, row in enumerate(ranked, 1):
        row["rank"] = index
    return ranked


def project_timeline(project: Project) -> list[dict]:
    """Stage bars for the Gantt-like timeline: planned (open → due) and actual (open → close)."""
    runs = list(project.stage_runs.select_related("stage", "owner_unit").order_by("id"))
    today = timezone.localdate()
    if not runs:
        return []
    start = min(r.opened_on for r in runs)
    ends = [r.closed_on or today for r in runs] + [r.due_on for r in runs if r.due_on]
    span = max((max(ends) - start).days, 1)
    bars = []
    for run in runs:
        end = run.closed_on or today
        due = run.due_on or end
        bars.append(
            {
                "run": run,
                "planned_left": round((run.opened_on - start).days * 100 / span, 1),
                "planned_width": max(round((due - run.opened_on).days * 100 / span, 1), 0.8),
                "actual_width": max(round((end - run.opened_on).days * 100 / span, 1), 0.8),
                "late": bool(run.due_on and end > run.due_on),
            }
        )
    return bars
