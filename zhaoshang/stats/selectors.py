"""The statistics (one selector for the page, the API and the reports), per the MOFCOM caliber:
amounts in 万美元 with two decimals, percentages with one, a 减资 negative in 合同外资.

- ``cumulative``: months 1..M of the year; ``yoy_pct`` against months 1..M of the previous year (None
  when that is zero); ``completion_pct`` = cumulative ÷ annual target × 100; ``schedule_gap_pts`` =
  completion_pct − M/12 × 100 (positive: ahead of 序时进度); ``large_projects``: projects (or
  enterprises without a project) whose 实际使用外资 in months 1..M adds up to at least the threshold.
- The month holding today is incomplete (``periods.Period``): it counts days 1..today against the same
  days of the previous year, and 序时进度 is the share of the year's days elapsed.
- Pages, reports and the cockpit default to the last complete month (``periods.last_complete_month``).
The org unit filter includes sub-units; data scope applies through ``restrict``.
"""

import operator
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from zhaoshang.core.errors import NotFound
from zhaoshang.core.lists import ListResult, filtered_list
from zhaoshang.core.parsers import org_unit_model
from zhaoshang.core.scope import sees_region, unit_scope
from zhaoshang.enterprises import selectors as enterprise_selectors
from zhaoshang.leads import selectors as lead_selectors
from zhaoshang.projects import selectors as project_selectors

from .filters import NOT_GIVEN, FDIRecordFilter
from .models import FDIMonthTotal, FDIRecord, FDISubjectTotal, Target
from .periods import Period, last_complete_month

LARGE_THRESHOLD = Decimal("1000")
LARGE_SHOWN = 20  # the 统计分析 page lists the largest ones; the count covers all
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
ZERO = Decimal("0")


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(TENTH, rounding=ROUND_HALF_UP)


def records(*, user, org_unit=None) -> QuerySet[FDIRecord]:
    queryset = FDIRecord.objects.restrict(user)
    if org_unit is not None:
        queryset = queryset.filter(org_unit_id__in=org_unit.subtree_ids())
    return queryset


def record_list(*, user, filters) -> ListResult:
    """Drill-down: the records behind a figure (kind, year, month or months 1..M, country, form, unit),
    for the records page, its export and the API."""
    queryset = records(user=user).select_related("enterprise", "project", "org_unit")
    return filtered_list(FDIRecordFilter, queryset, filters, user=user)


def subject_unit(*, user, org_unit_id: int | None):
    """The unit the numbers are about: the one asked for (must be in the user's region), else the user's
    own unit — the county for a leader."""
    if org_unit_id is None:
        if sees_region(user):
            return user.org_unit.region
        return user.org_unit
    unit = org_unit_model().objects.filter(pk=org_unit_id, region_id=getattr(user.org_unit, "region_id", None)).first()
    if unit is None:
        raise NotFound("单位不存在或不在您的数据范围内")
    return unit


def _target(unit, year: int, metric: str) -> Decimal | None:
    if unit is None:
        return None
    target = Target.objects.filter(org_unit=unit, year=year, metric=metric).values_list("value", flat=True).first()
    return money(target) if target is not None else None


def _month_start(year: int, month: int) -> date:
    """The first day of ``month`` of ``year``; month 13 is January of the next year."""
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _months(year: int, first: int, last: int) -> Q:
    """Dates in months ``first``..``last`` of ``year`` as a range (which the date index serves)."""
    return Q(date__gte=_month_start(year, first), date__lt=_month_start(year, last + 1))


def _sums(*, user, unit, group: tuple[str, ...], **filters) -> list[dict]:
    """Signed FDI amounts and record counts grouped by any of ``kind``, ``year``, ``month``, ``country``,
    ``form`` and ``org_unit`` (an id), filtered on the same names (``year__in``, ``month__lte`` …).

    Read from the monthly roll-up (stats/rollup.py) whenever the user's scope is a set of units, which is
    every user but an expert or one holding shares of single records; for them, from the records."""
    scope = unit_scope(FDIRecord, user)
    if scope is not None:
        queryset = FDIMonthTotal.objects.filter(scope)
        if unit is not None:
            queryset = queryset.filter(org_unit_id__in=unit.subtree_ids())
        rows = queryset.filter(**filters).values(*group).annotate(cents=Sum("total_cents"), n=Sum("records"))
        return [{**{g: r[g] for g in group}, "total": Decimal(r["cents"]) / 100, "count": r["n"]} for r in rows]
    queryset = records(user=user, org_unit=unit).annotate(year=ExtractYear("date"), month=ExtractMonth("date"))
    rows = queryset.filter(**filters).values(*group).annotate(total=Sum("signed_amount"), n=Count("id"))
    return [{**{g: r[g] for g in group}, "total": money(r["total"]), "count": r["n"]} for r in rows.order_by()]


def _day_sums(*, user, unit, ranges: list[tuple[date, date]]) -> dict[tuple[str, int], Decimal]:
    """Signed FDI amounts by kind and year over days ``ranges`` (inclusive), read from the records — the
    roll-up keeps whole months only — and scoped exactly as the roll-up is read (``_sums``)."""
    scope = unit_scope(FDIRecord, user)
    queryset = FDIRecord.objects.filter(scope) if scope is not None else FDIRecord.objects.restrict(user)
    if unit is not None:
        queryset = queryset.filter(org_unit_id__in=unit.subtree_ids())
    days = reduce(operator.or_, (Q(date__gte=first, date__lte=last) for first, last in ranges))
    rows = (
        queryset.filter(days)
        .annotate(year=ExtractYear("date"))
        .values("kind", "year")
        .annotate(total=Sum("signed_amount"))
        .order_by()
    )
    return {(r["kind"], r["year"]): money(r["total"]) for r in rows}


def _blocks(*, user, unit, period: Period) -> dict[str, dict]:
    """Both kinds' month, cumulative and previous-year cumulative. Whole months come from the roll-up
    (one grouped query); an incomplete month from its records, against the same days a year earlier."""
    year, month = period.year, period.month
    table: dict[tuple, Decimal] = defaultdict(Decimal)
    whole = month - 1 if period.partial else month
    if whole:
        for row in _sums(
            user=user, unit=unit, group=("kind", "year", "month"), year__in=[year - 1, year], month__lte=whole
        ):
            table[(row["kind"], row["year"], "cum")] += row["total"]
            if row["month"] == month:
                table[(row["kind"], row["year"], "month")] += row["total"]
    if period.partial:
        ranges = [(period.start, period.through), period.same_days_last_year()]
        for (kind, y), total in _day_sums(user=user, unit=unit, ranges=ranges).items():
            table[(kind, y, "cum")] += total
            table[(kind, y, "month")] += total
    blocks = {}
    for kind in FDIRecord.Kind.values:
        cumulative, previous = money(table[(kind, year, "cum")]), money(table[(kind, year - 1, "cum")])
        this_month, month_before = money(table[(kind, year, "month")]), money(table[(kind, year - 1, "month")])
        blocks[kind] = {
            "month": this_month,
            "cumulative": cumulative,
            "cumulative_prev_year": previous,
            "yoy_pct": _yoy(cumulative, previous),
            "month_prev_year": month_before,
            "month_yoy_pct": _yoy(this_month, month_before),
        }
    return blocks


def _yoy(value: Decimal, previous: Decimal) -> Decimal | None:
    return None if previous == 0 else pct((value - previous) / abs(previous) * 100)


def large_projects(
    *, user, unit, year: int, month: int, threshold: Decimal = LARGE_THRESHOLD, limit: int | None = None
) -> tuple[list[dict], int]:
    """Projects (or enterprises when no project is linked) whose actual FDI in months 1..M ≥ threshold:
    the ``limit`` largest (all when None), named, and how many there are."""
    scope = unit_scope(FDIRecord, user)
    if scope is not None:
        queryset = FDISubjectTotal.objects.filter(scope, year=year)
        if unit is not None:
            queryset = queryset.filter(org_unit_id__in=unit.subtree_ids())
        months_1_to_m = reduce(operator.add, (F(f"m{m:02d}") for m in range(1, month + 1)))
        large = (
            queryset.values("project_id", "enterprise_id")
            .annotate(cents=Sum(months_1_to_m))
            .filter(cents__gte=int(threshold * 100))
            .order_by("-cents", "project_id", "enterprise_id")
        )
        count = large.count()
        rows = [
            {
                "kind": "project" if row["project_id"] else "enterprise",
                "id": row["project_id"] or row["enterprise_id"],
                "total": money(Decimal(row["cents"]) / 100),
            }
            for row in (large if limit is None else large[:limit] if limit else [])
        ]
        return name_subjects(rows), count
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for row in (
        records(user=user, org_unit=unit)
        .filter(_months(year, 1, month), kind=FDIRecord.Kind.ACTUAL)
        .values("project_id", "enterprise_id")
        .annotate(total=Sum("signed_amount"))
        .order_by()
    ):
        key = ("project", row["project_id"]) if row["project_id"] else ("enterprise", row["enterprise_id"])
        totals[key] += row["total"] or ZERO
    rows = [{"kind": k, "id": pk, "total": money(t)} for (k, pk), t in totals.items() if t >= threshold]
    # the roll-up's order: amount, then project id, then enterprise id (0 where not applicable)
    rows.sort(key=lambda g: (-g["total"], *((g["id"], 0) if g["kind"] == "project" else (0, g["id"]))))
    return name_subjects(rows if limit is None else rows[:limit]), len(rows)


def name_subjects(rows: list[dict]) -> list[dict]:
    """Fill in the names of large-project rows (projects and enterprises, two queries)."""
    found: dict[tuple[str, int], str] = {}
    for kind, names in (
        ("project", project_selectors.project_names),
        ("enterprise", enterprise_selectors.enterprise_names),
    ):
        found |= {(kind, pk): name for pk, name in names([row["id"] for row in rows if row["kind"] == kind]).items()}
    return [dict(row, name=found.get((row["kind"], row["id"]), "")) for row in rows]


def fdi_stats(*, user, year: int, month: int, org_unit_id: int | None = None, today: date | None = None) -> dict:
    """The figures of months 1..``month`` of ``year``. The month holding ``today`` (by default the
    local date) counts its days so far against the same days a year earlier (``periods.Period``)."""
    period = Period.of(year, month, today=today or timezone.localdate())
    unit = subject_unit(user=user, org_unit_id=org_unit_id)
    scope_unit = unit if org_unit_id else None
    blocks = _blocks(user=user, unit=scope_unit, period=period)
    actual, contract = blocks[FDIRecord.Kind.ACTUAL], blocks[FDIRecord.Kind.CONTRACT]
    targets = {
        "actual": _target(unit, year, Target.Metric.ACTUAL),
        "contract": _target(unit, year, Target.Metric.CONTRACT),
    }
    completion, gap = {}, {}
    schedule = period.schedule_pct
    for key, block in (("actual", actual), ("contract", contract)):
        target = targets[key]
        completion[key] = pct(block["cumulative"] / target * 100) if target else None
        gap[key] = pct(completion[key] - schedule) if completion[key] is not None else None
    _, large_count = large_projects(user=user, unit=scope_unit, year=year, month=month, limit=0)
    return {
        "year": year,
        "month": month,
        "through": period.through,
        "partial": period.partial,
        "schedule_pct": pct(schedule),
        "unit": "万美元",
        "org_unit": unit.name if unit else None,
        "actual": actual,
        "contract": contract,
        "target": targets,
        "completion_pct": completion,
        "schedule_gap_pts": gap,
        "large_projects": {"threshold": LARGE_THRESHOLD, "count": large_count},
    }


def monthly(*, user, year: int, org_unit_id: int | None = None) -> dict:
    """Twelve months of both kinds, this year and last, with the running cumulative."""
    unit = subject_unit(user=user, org_unit_id=org_unit_id)
    table: dict[tuple, Decimal] = defaultdict(Decimal)
    for row in _sums(
        user=user, unit=unit if org_unit_id else None, group=("kind", "year", "month"), year__in=[year - 1, year]
    ):
        table[(row["kind"], row["year"], row["month"])] += row["total"]
    series = {}
    for kind in FDIRecord.Kind.values:
        for y, label in ((year, "this_year"), (year - 1, "last_year")):
            months = [money(table[(kind, y, m)]) for m in range(1, 13)]
            running, cumulative = ZERO, []
            for value in months:
                running += value
                cumulative.append(money(running))
            series[f"{kind}_{label}"] = {"month": months, "cumulative": cumulative}
    return {"year": year, "unit": "万美元", "series": series}


def breakdown(*, user, year: int, month: int, org_unit_id: int | None = None) -> dict:
    """Actual FDI in months 1..M by source country/region, by form, and by unit; the largest projects
    (``large``, at most ``LARGE_SHOWN``) and how many there are (``large_count``)."""
    unit = subject_unit(user=user, org_unit_id=org_unit_id)
    scope_unit = unit if org_unit_id else None

    def grouped(field):
        rows = _sums(
            user=user, unit=scope_unit, group=(field,), kind=FDIRecord.Kind.ACTUAL, year=year, month__lte=month
        )
        return sorted(
            ({"key": r[field], "total": money(r["total"]), "count": r["count"]} for r in rows),
            key=lambda r: (-r["total"], str(r["key"])),
        )

    forms = dict(FDIRecord.Form.choices)
    large, large_count = large_projects(user=user, unit=scope_unit, year=year, month=month, limit=LARGE_SHOWN)
    units = grouped("org_unit")
    unit_names = dict(org_unit_model().objects.filter(pk__in=[r["key"] for r in units]).values_list("pk", "name"))
    return {
        "countries": [dict(r, key=r["key"] or NOT_GIVEN, id=None) for r in grouped("country")],
        "forms": [dict(r, key=forms.get(r["key"], r["key"]), id=None) for r in grouped("form")],
        "units": [dict(r, key=unit_names.get(r["key"], "未填写"), id=r["key"]) for r in units],
        "large": large,
        "large_count": large_count,
    }


RANKED_KINDS = ("town", "office", "zone", "department", "center")


def rankings(*, user, year: int, month: int, metric: str = "actual") -> list[dict]:
    """Towns, resident offices, development zone and departments by cumulative value of the metric
    (months 1..M, sub-units included) and by completion of their own annual target.

    A unit is never ranked beside the units it contains: the rows come as a tree (each unit followed by
    its ranked sub-units, ``level`` 1, e.g. the 投促中心's offices), and ranks are among siblings."""
    if not user.org_unit_id:
        return []
    region = user.org_unit.region_id
    units = list(org_unit_model().objects.filter(region_id=region, kind__in=RANKED_KINDS).order_by("path"))
    own: dict[int, Decimal] = defaultdict(Decimal)
    for row in _sums(user=user, unit=None, group=("org_unit",), kind=metric, year=year, month__lte=month):
        own[row["org_unit"]] += row["total"]
    paths = dict(org_unit_model().objects.filter(pk__in=own).values_list("pk", "path"))
    targets = dict(
        Target.objects.filter(region_id=region, year=year, metric=metric).values_list("org_unit_id", "value")
    )
    by_path = {unit.path: unit for unit in units}
    children: dict[int | None, list[dict]] = defaultdict(list)
    for unit in units:
        value = sum((v for uid, v in own.items() if paths.get(uid, "").startswith(unit.path)), ZERO)
        target = targets.get(unit.pk)
        # the nearest ranked unit above this one, if any
        above = [by_path[p] for p in by_path if p != unit.path and unit.path.startswith(p)]
        parent = max(above, key=lambda u: len(u.path)) if above else None
        children[parent.pk if parent else None].append(
            {
                "org_unit_id": unit.pk,
                "org_unit": unit.name,
                "kind": unit.get_kind_display(),
                "value": money(value),
                "target": money(target) if target else None,
                "completion_pct": pct(value / target * 100) if target else None,
                "parent_id": parent.pk if parent else None,
            }
        )
    rows: list[dict] = []

    def walk(parent_id: int | None, level: int) -> None:
        siblings = sorted(children[parent_id], key=lambda r: (-r["value"], r["org_unit"]))
        for i, row in enumerate(siblings, 1):
            row["rank_by_value"] = i
        done = sorted((r for r in siblings if r["completion_pct"] is not None), key=lambda r: -r["completion_pct"])
        for i, row in enumerate(done, 1):
            row["rank_by_completion"] = i
        for row in siblings:
            rows.append(dict(row, level=level))
            walk(row["org_unit_id"], level + 1)

    walk(None, 0)
    return rows


def shown_rankings(rows: list[dict]) -> list[dict]:
    """The ranking rows worth a line: with a value or a target, or above such a row (keeping the tree)."""
    keep = {r["org_unit_id"] for r in rows if r["value"] or r["target"]}
    parents = {r["org_unit_id"]: r["parent_id"] for r in rows}
    for unit_id in list(keep):
        while parents.get(unit_id) is not None:
            unit_id = parents[unit_id]
            keep.add(unit_id)
    return [r for r in rows if r["org_unit_id"] in keep]


def overview(*, user, today: date) -> dict:
    """The cockpit's numbers: leads, projects by stage and light, signed investment, FDI, problems open.

    Projects and leads are as of ``today``. FDI (``fdi``) is the last complete month's (``period``);
    ``fdi_to_date`` is the year to ``today``, its ``month`` the current month so far (本月至今) against
    the same days last year, its 序时进度 by days. Leads and projects count themselves (their apps'
    public reads): one aggregate per table."""
    year = today.year
    projects = project_selectors.project_counts(user=user, today=today)
    period = Period.of(*last_complete_month(today), today=today)
    fdi = to_date = None
    if user.org_unit_id:
        fdi = fdi_stats(user=user, year=period.year, month=period.month, today=today)
        to_date = fdi_stats(user=user, year=today.year, month=today.month, today=today)
    current = Period.of(today.year, today.month, today=today)
    return {
        "date": today,
        "period": {
            "year": period.year,
            "month": period.month,
            "label": period.months_label,
            "as_of": period.as_of_text,
            "to_date_label": current.days_label,
        },
        "fdi_to_date": to_date,
        "leads": lead_selectors.lead_counts(user=user, year=year, until=today),
        "projects": {
            "total": projects["total"],
            "by_stage": projects["by_stage"],
            "by_light": projects["by_light"],
            "signed_this_year": projects["signed_this_year"],
            "signed_investment": money(projects["signed_investment"]),
            "big_signed_this_year": projects["big_signed_this_year"],
        },
        "fdi": fdi,
        "problems_open": projects["problems_open"],
        "problems_overdue": projects["problems_overdue"],
    }


def red_projects(*, user, limit: int = 20):
    return project_selectors.red_projects(user=user, limit=limit)


ACTIVITY_WEIGHTS = {"signed": 5, "started": 5, "visit": 2, "reception": 2, "meeting": 1, "event": 1}


def activity_index(*, user, year: int, month: int) -> list[dict]:
    """Each unit's activity in the month: projects signed and started (5 points each), visits out and
    enterprise visits in (2), meetings and events (1), from projects' dates and leads' and projects'
    follow-ups. Ranked by the index."""
    start, end = _month_start(year, month), _month_start(year, month + 1)
    counts: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    names: dict[int, str] = {}
    for unit_id, name, key, n in [
        *project_selectors.activity_counts_by_unit(user=user, start=start, end=end),
        *lead_selectors.followup_counts_by_unit(user=user, start=start, end=end),
    ]:
        counts[unit_id][key] += n
        names[unit_id] = name
    result = []
    for unit_id, c in counts.items():
        index = sum(ACTIVITY_WEIGHTS.get(k, 0) * v for k, v in c.items())
        result.append(
            {
                "org_unit": names[unit_id],
                "signed": c["signed"],
                "started": c["started"],
                "visits": c["visit"],
                "receptions": c["reception"],
                "meetings": c["meeting"] + c["event"],
                "index": index,
            }
        )
    result.sort(key=lambda r: (-r["index"], r["org_unit"]))
    for i, row in enumerate(result, 1):
        row["rank"] = i
    return result


# --- public reads for other apps (招商网络, issue #17) -------------------------------------------------------


def fdi_arrived_by_project(*, region_id: int, project_ids=None) -> dict[int, tuple[date, Decimal]]:
    """Per project of the region: the first date and the total of its 实际使用外资 (万美元) — the funnel's 到资
    and the intermediaries' reward conditions. One grouped query (``project_ids`` narrows it)."""
    queryset = FDIRecord.objects.filter(region_id=region_id, kind=FDIRecord.Kind.ACTUAL, project_id__isnull=False)
    if project_ids is not None:
        queryset = queryset.filter(project_id__in=list(project_ids))
    rows = queryset.order_by().values("project_id").annotate(first=Min("date"), total=Sum("signed_amount"))
    return {row["project_id"]: (row["first"], row["total"] or ZERO) for row in rows}


def fdi_actual_by_unit(*, region_id: int, start: date, end: date) -> dict[int, Decimal]:
    """实际使用外资 (万美元) counted for each unit of the region in [start, end) — one grouped query."""
    rows = (
        FDIRecord.objects.filter(region_id=region_id, kind=FDIRecord.Kind.ACTUAL, date__gte=start, date__lt=end)
        .order_by()
        .values("org_unit_id")
        .annotate(total=Sum("signed_amount"))
    )
    return {row["org_unit_id"]: row["total"] or ZERO for row in rows}
