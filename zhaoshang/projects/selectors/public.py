"""What other apps may read of projects (statistics, carriers, policies, chains, network, reviews): they never
touch the project models themselves. Each read names its scope: a user's, or a region for background jobs."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import Coalesce

from ..models import (
    FollowUp,
    Problem,
    Project,
    ProjectStage,
    Stage,
)


def project_counts(*, user, today: date) -> dict:
    """The cockpit's project numbers for the user's scope (live projects): how many, by stage (in stage
    order) and by light; signed this year up to ``today``, their total investment (万元) and those of
    10,000 万元 or more; problems open and overdue.

    One aggregate per table (the projects are counted once by stage and light together), so that the
    cockpit stays fast over a library of 100,000 projects."""
    projects = Project.objects.restrict(user).filter(is_dormant=False)
    year = today.year
    by_stage: dict[int, int] = defaultdict(int)
    by_light: dict[str, int] = defaultdict(int)
    for stage_id, light, n in projects.order_by().values_list("stage_id", "light").annotate(n=Count("*")):
        by_stage[stage_id] += n
        by_light[light] += n
    stages = Stage.objects.filter(pk__in=list(by_stage)).order_by("order", "id").values_list("pk", "name")
    signed_q = Q(signed_actual__gte=date(year, 1, 1), signed_actual__lte=today)
    signed = projects.filter(signed_q).aggregate(
        n=Count("id"),
        investment=Coalesce(Sum("total_investment"), Decimal(0)),
        big=Count("id", filter=Q(total_investment__gte=10000)),
    )
    # Driven from the open problems (few), each checked against the scope by primary key — not from a
    # list of every project in scope.
    problems = (
        Problem.objects.filter(status="open")
        .filter(Exists(projects.filter(pk=OuterRef("project_id"))))
        .aggregate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    )
    return {
        "total": sum(by_stage.values()),
        "by_stage": [{"stage": name, "count": by_stage[pk]} for pk, name in stages],
        "by_light": {k: by_light.get(k, 0) for k in ("green", "yellow", "red")},
        "signed_this_year": signed["n"],
        "signed_investment": signed["investment"],
        "big_signed_this_year": signed["big"],
        "problems_open": problems["open"],
        "problems_overdue": problems["overdue"],
    }


def red_projects(*, user, limit: int = 20) -> list[Project]:
    """The red-light live projects in scope, most escalated and longest red first, with their open stage
    runs (``open_runs``, owner unit loaded)."""
    return list(
        Project.objects.restrict(user)
        .filter(light="red", is_dormant=False)
        .select_related("org_unit", "stage")
        .prefetch_related(
            Prefetch(
                "stage_runs",
                ProjectStage.objects.filter(status="open").select_related("owner_unit"),
                to_attr="open_runs",
            )
        )
        .order_by("-escalation", "warning_since")[:limit]
    )


def activity_counts_by_unit(*, user, start: date, end: date) -> list[tuple[int, str, str, int]]:
    """(unit id, unit name, what, count) for projects in scope in [start, end): ``signed`` and ``started``
    (projects signed, construction started) and each follow-up kind (``visit``, ``meeting`` …) — three
    queries."""
    projects = Project.objects.restrict(user)
    rows = []
    for field, key in (("signed_actual", "signed"), ("construction_start_actual", "started")):
        rows += [
            (unit_id, name, key, n)
            for unit_id, name, n in projects.filter(**{f"{field}__gte": start, f"{field}__lt": end})
            .values_list("org_unit_id", "org_unit__name")
            .annotate(n=Count("id"))
        ]
    rows += (
        FollowUp.objects.filter(project__in=projects.values("pk"), date__gte=start, date__lt=end)
        .values_list("project__org_unit_id", "project__org_unit__name", "kind")
        .annotate(n=Count("id"))
    )
    return rows


def signed_count(*, user, start: date, end: date) -> int:
    """Live projects in scope signed in [start, end)."""
    return Project.objects.restrict(user).filter(signed_actual__gte=start, signed_actual__lt=end).count()


def project_names(ids) -> dict[int, str]:
    """Names by id, deleted projects included (for naming figures that refer to them)."""
    return dict(Project.all_objects.filter(pk__in=list(ids)).values_list("pk", "name")) if ids else {}


def visible_project(*, user, pk: int | None = None, name: str | None = None) -> Project | None:
    """The project in the user's scope with this id (or else this name), None when there is none."""
    condition = Q(pk=pk) if pk is not None else Q(name=name)
    return Project.objects.restrict(user).filter(condition).first()


def project_ledger(*, user, until: date | None = None):
    """Every project in scope by code, ready for ``exports.ledger_row``; with ``until``, only those first
    contacted on or before that day, or with no such date (the 项目台账 of a period)."""
    queryset = Project.objects.restrict(user).select_related("stage", "org_unit", "investor").order_by("code")
    if until is None:
        return queryset
    return queryset.filter(Q(first_contact_actual__lte=until) | Q(first_contact_actual__isnull=True))


def projects_of_enterprise(*, user, enterprise, limit: int = 50):
    """The projects in scope the enterprise invests in or operates, newest first (stage and unit loaded).
    A lazy queryset: a page that does not show them does not query them."""
    return (
        Project.objects.restrict(user)
        .filter(Q(investor=enterprise) | Q(operating_company=enterprise))
        .select_related("stage", "org_unit")
        .order_by("-id")[:limit]
    )


def projects_at_stage(*, user, code: str, limit: int = 200) -> list[Project]:
    """Projects in scope whose open stage has this code (e.g. the 研判 board's candidates), newest first."""
    return list(
        Project.objects.restrict(user)
        .filter(stage__code=code, stage_runs__status="open")
        .select_related("org_unit")
        .order_by("-id")[:limit]
    )


def live_projects_in_region(*, region_id: int):
    """The region's live projects (not dormant, not yet 达产), whoever's scope they are in, with what a policy
    calculation reads of them (政策's precise pushing)."""
    return (
        Project.objects.filter(region_id=region_id, is_dormant=False, full_production_actual__isnull=True)
        .select_related("industry", "town", "org_unit")
        .order_by("pk")
    )


def project_texts(*, region_id: int, ids=None, after_id: int = 0, limit: int | None = None) -> list[tuple]:
    """(id, name, description, industry class code or "") of the region's live projects — the input of the chain
    classifier."""
    rows = Project.objects.filter(region_id=region_id)
    rows = rows.filter(pk__in=list(ids)) if ids is not None else rows.filter(pk__gt=after_id)
    rows = rows.order_by("pk").values_list("pk", "name", "description", "industry__code")
    return [(pk, name, text, code or "") for pk, name, text, code in (rows[:limit] if limit else rows)]


def project_facts(*, region_id: int, ids=None, enterprise_ids=None) -> list[dict]:
    """Live projects of the region (some by id, or those of some investors): id, name, investor, unit, town, stage
    code, signed and registered dates, ``landed`` (registered, or past the registration stage), dormant."""
    rows = Project.objects.filter(region_id=region_id)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    if enterprise_ids is not None:
        rows = rows.filter(investor_id__in=list(enterprise_ids))
    values = rows.values(
        "id",
        "name",
        "investor_id",
        "org_unit_id",
        "town_id",
        "stage__code",
        "signed_actual",
        "registered_actual",
        "is_dormant",
        "total_investment",
    )
    early = {"negotiation", "review", "signing", "registration"}
    return [{**row, "landed": bool(row["registered_actual"]) or row["stage__code"] not in early} for row in values]


def milestones_by_unit(*, region_id: int, start: date, end: date) -> dict[int, dict[str, int]]:
    """Per introducing unit of the region: projects signed and started (开工) in [start, end] — the offices'
    assessment ranks every office on the same counts, whoever looks (two grouped queries)."""
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"signed": 0, "started": 0})
    projects = Project.objects.filter(region_id=region_id).order_by()
    for field, key in (("signed_actual", "signed"), ("construction_start_actual", "started")):
        rows = projects.filter(**{f"{field}__gte": start, f"{field}__lte": end}).values("org_unit_id")
        for row in rows.annotate(n=Count("id")):
            out[row["org_unit_id"]][key] = row["n"]
    return dict(out)


# Stages before 供地: a project there still looks for a site.
SITE_SEEKING_STAGES = ("negotiation", "review", "signing", "registration", "land")


def site_needs_open(*, user, limit: int = 5000, land_mu_max=None, floor_area_max=None) -> list[dict]:
    """The site needs of the user's live projects that have not had their land yet (the 载体库's reverse
    match): ``{"project_id", "name", "land_mu", "floor_area_m2", "industry", "town", "org_unit"}``, one query.
    With ``land_mu_max`` only land needs up to it, with ``floor_area_max`` only floor-area needs up to it."""
    projects = Project.objects.restrict(user).filter(is_dormant=False, stage__code__in=SITE_SEEKING_STAGES)
    if land_mu_max is not None:
        projects = projects.filter(land_mu__gt=0, land_mu__lte=land_mu_max)
    elif floor_area_max is not None:
        projects = projects.filter(
            Q(land_mu__isnull=True) | Q(land_mu=0), floor_area__gt=0, floor_area__lte=floor_area_max
        )
    else:
        projects = projects.filter(Q(land_mu__gt=0) | Q(floor_area__gt=0))
    rows = projects.values(
        "pk", "name", "land_mu", "floor_area", "industry__code", "town__name", "org_unit__name"
    ).order_by(*_needs_order(land_mu_max, floor_area_max))[:limit]
    return [
        {
            "project_id": r["pk"],
            "name": r["name"],
            "land_mu": r["land_mu"],
            "floor_area_m2": r["floor_area"],
            "industry": r["industry__code"] or "",
            "town": r["town__name"] or "",
            "org_unit": r["org_unit__name"],
        }
        for r in rows
    ]


def _needs_order(land_mu_max, floor_area_max) -> tuple[str, ...]:
    """Bounded by a carrier, the largest needs that still fit come first (the best use of it); else the newest."""
    if land_mu_max is not None:
        return ("-land_mu", "-pk")
    if floor_area_max is not None:
        return ("-floor_area", "-pk")
    return ("-pk",)
