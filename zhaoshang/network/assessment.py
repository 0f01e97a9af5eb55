"""The offices' assessment (考核): per indicator of the county's 考核办法, the value computed from the platform's
records for the period, the target, and the score = weight × min(value ÷ target, 1) (an indicator without a
target scores its weight when the value is above zero). A month's target is the year's ÷ 12.

All offices of the county are computed together (a handful of grouped queries, whatever the number of leads and
projects) so that each office's page shows its rank among them."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from zhaoshang.projects import selectors as project_selectors
from zhaoshang.stats import selectors as stats_selectors

from .models import Activity, AssessmentIndicator, LeadProgressGroup, Metric, OfficeProfile, OfficeTarget
from .services import DEFAULT_INDICATORS

TENTH = Decimal("0.1")
CENT = Decimal("0.01")
# metric → the target's field
TARGET_OF = {
    Metric.LEADS: "new_leads",
    Metric.QUALITY_LEADS: "new_leads",
    Metric.VISITS: "valid_visits",
    Metric.NEGOTIATING: "negotiating",
    Metric.SIGNED: "signed",
    Metric.LANDED: "landed",
    Metric.FDI: "fdi_usd",
}


def period_of(year: int, month: int | None) -> tuple[date, date]:
    if month:
        last = date(year + (month == 12), month % 12 + 1, 1)
        return date(year, month, 1), date.fromordinal(last.toordinal() - 1)
    return date(year, 1, 1), date(year, 12, 31)


def indicators_for(region_id: int) -> list[tuple[str, Decimal]]:
    rows = list(AssessmentIndicator.objects.filter(region_id=region_id).values_list("metric", "weight"))
    return [(m, Decimal(w).quantize(TENTH)) for m, w in rows or [(m.value, w) for m, w in DEFAULT_INDICATORS]]


def _values(region_id: int, start: date, end: date) -> dict[int, dict[str, Decimal]]:
    """Per office unit: every metric's value in [start, end]."""
    leads = lead_counts(region_id=region_id, start=start, end=end)
    projects = project_selectors.milestones_by_unit(region_id=region_id, start=start, end=end)
    fdi = stats_selectors.fdi_actual_by_unit(
        region_id=region_id, start=start, end=date.fromordinal(end.toordinal() + 1)
    )
    visits = dict(
        Activity.objects.filter(region_id=region_id, kind=Activity.Kind.VISIT, date__gte=start, date__lte=end)
        .exclude(enterprise_name="")
        .order_by()
        .values_list("org_unit_id")
        .annotate(n=Count("id"))
    )
    out = {}
    for unit_id in OfficeProfile.objects.filter(region_id=region_id).values_list("org_unit_id", flat=True):
        lead = leads.get(unit_id, {})
        project = projects.get(unit_id, {})
        out[unit_id] = {
            Metric.LEADS: Decimal(lead.get("total", 0)),
            Metric.QUALITY_LEADS: Decimal(lead.get("quality", 0)),
            Metric.VISITS: Decimal(visits.get(unit_id, 0)),
            Metric.NEGOTIATING: Decimal(lead.get("converted", 0)),
            Metric.SIGNED: Decimal(project.get("signed", 0)),
            Metric.LANDED: Decimal(project.get("started", 0)),
            Metric.FDI: fdi.get(unit_id, Decimal(0)),
        }
    return out


def lead_counts(*, region_id: int, start: date, end: date) -> dict[int, dict[str, int]]:
    """``leads.selectors.lead_counts_by_unit`` for whole months [start, end], read from the funnel's roll-up
    groups: per unit, the leads registered in the period, 有效 ones and those converted to a project."""
    out: dict[int, dict[str, int]] = {}
    groups = LeadProgressGroup.objects.filter(region_id=region_id, month__gte=start, month__lte=end).order_by()
    for unit_id, quality, has_project, reached in groups.values_list(
        "org_unit_id", "quality", "has_project", "reached"
    ):
        counts = out.setdefault(unit_id, {"total": 0, "quality": 0, "converted": 0})
        leads = sum(reached)
        counts["total"] += leads
        counts["quality"] += leads if quality else 0
        counts["converted"] += leads if has_project else 0
    return out


def score(weight: Decimal, value: Decimal, target: Decimal | None) -> Decimal:
    if not target:
        return weight if value > 0 else Decimal("0.0")
    return (weight * min(value / target, Decimal(1))).quantize(TENTH, ROUND_HALF_UP)


def _record_links(metric: str, unit_id: int, start: date, end: date) -> str:
    """Where the records behind a value are listed (one click away)."""
    if metric in (Metric.LEADS, Metric.QUALITY_LEADS, Metric.NEGOTIATING):
        query = {"org_unit": unit_id, "created_after": start.isoformat(), "created_before": end.isoformat()}
        return reverse("leads:lead_list") + "?" + urlencode(query)
    if metric == Metric.VISITS:
        query = {"org_unit": unit_id, "kind": "visit", "date_after": start.isoformat(), "date_before": end.isoformat()}
        return reverse("network:activity_list") + "?" + urlencode(query)
    if metric in (Metric.SIGNED, Metric.LANDED):
        return reverse("projects:project_list") + "?" + urlencode({"org_unit": unit_id})
    return reverse("stats:records") + "?" + urlencode({"org_unit": unit_id, "kind": "actual"})


def assessments(*, region_id: int, year: int, month: int | None = None) -> list[dict]:
    """Every office of the county, ranked by total score: indicators with weight, value, target, score."""
    start, end = period_of(year, month)
    values = _values(region_id, start, end)
    indicators = indicators_for(region_id)
    targets = {t.office_id: t for t in OfficeTarget.objects.filter(office__region_id=region_id, year=year)}
    labels = dict(Metric.choices)
    out = []
    for office in OfficeProfile.objects.filter(region_id=region_id).order_by("id"):
        target = targets.get(office.pk)
        rows = []
        for metric, weight in indicators:
            annual = getattr(target, TARGET_OF[metric]) if target else None
            goal = None if annual is None else (Decimal(annual) / 12 if month else Decimal(annual)).quantize(CENT)
            value = values.get(office.org_unit_id, {}).get(metric, Decimal(0))
            rows.append(
                {
                    "metric": metric,
                    "name": labels[metric],
                    "weight": weight,
                    "value": value,
                    "target": goal,
                    "score": score(weight, value, goal),
                    "records_url": _record_links(metric, office.org_unit_id, start, end),
                }
            )
        out.append({"office": office, "indicators": rows, "total": sum((r["score"] for r in rows), Decimal(0))})
    out.sort(key=lambda a: (-a["total"], a["office"].pk))
    for rank, row in enumerate(out, 1):
        row["rank"] = rank
    return out


def assessment_of(*, office: OfficeProfile, year: int, month: int | None = None) -> dict:
    """One office's assessment, with its rank among the county's offices."""
    for row in assessments(region_id=office.region_id, year=year, month=month):
        if row["office"].pk == office.pk:
            return row
    return {"office": office, "indicators": [], "total": Decimal(0), "rank": None}
