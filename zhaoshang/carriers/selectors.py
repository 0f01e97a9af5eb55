"""Reads of the 载体库: the list (one per kind through the ``kind`` filter), one record, the map's GeoJSON, a
record's reservations, history and 标准地 data; public reads for the cockpit at the end."""

import json

from django.db.models import Count, Q, Sum
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.errors import NotFound
from zhaoshang.core.lists import ListResult, filtered_list
from zhaoshang.core.scope import CHANGE, VIEW

from .filters import CarrierFilter
from .models import (
    Carrier,
    CarrierMatchRun,
    CarrierReservation,
    CarrierSettings,
    CarrierStatusChange,
    LandIndicator,
    LandIndicatorValue,
    LandProductionCheck,
)


def carrier_list(*, user, filters) -> ListResult:
    queryset = Carrier.objects.restrict(user).select_related("org_unit", "town")
    return filtered_list(CarrierFilter, queryset, filters, user=user)


def carrier_get(*, user, pk: int, action: str = VIEW) -> Carrier:
    carrier = Carrier.objects.restrict(user, action).select_related("org_unit", "town", "parent").filter(pk=pk).first()
    if carrier is None:
        raise NotFound()
    return carrier


def may_change(*, user, carrier: Carrier) -> bool:
    return Carrier.objects.restrict(user, CHANGE).filter(pk=carrier.pk).exists()


def status_history(carrier: Carrier, limit: int = 50) -> list[CarrierStatusChange]:
    return list(carrier.status_changes.select_related("actor")[:limit])


def reservations_of(carrier: Carrier) -> list[CarrierReservation]:
    return list(carrier.reservations.select_related("project", "lead", "requested_by", "requesting_unit")[:20])


def indicator_rows(carrier: Carrier) -> list[tuple[LandIndicator, object]]:
    """(indicator, value or None) for every indicator of the county's set."""
    values = dict(LandIndicatorValue.objects.filter(carrier=carrier).values_list("indicator_id", "value"))
    return [(i, values.get(i.pk)) for i in LandIndicator.objects.filter(region_id=carrier.region_id)]


def production_checks_of(carrier: Carrier) -> list[LandProductionCheck]:
    return list(carrier.production_checks.select_related("project"))


def children_of(carrier: Carrier) -> list[Carrier]:
    return list(carrier.children.filter(deleted_at__isnull=True).order_by("kind", "name")[:100])


def settings_for(region_id: int) -> CarrierSettings | None:
    return CarrierSettings.objects.filter(region_id=region_id).first()


def indicators_for(region_id: int) -> list[LandIndicator]:
    return list(LandIndicator.objects.filter(region_id=region_id))


# --- the map ------------------------------------------------------------------------------------------

KIND_LABELS = dict(Carrier.Kind.choices)
STATUS_LABELS = dict(Carrier.Status.choices)
# The bare query the map starts from (bench/carriers.py's baseline): the carriers' values for the card.
MAP_FIELDS = ("id", "name", "kind", "status", "power_kva", "is_standard_land", "town__name", "org_unit__name")


def map_geojson(*, user, filters) -> str:
    """A GeoJSON FeatureCollection of the filtered carriers that have a position, as text: a polygon where a
    boundary exists, else a point; the properties are what the map's card shows. Two queries and no per-row
    formatting: each carrier's feature was built when it was saved (``Carrier.map_feature``); only the id and
    the town's and owner's names (read now, so a renamed unit shows its new name) are put around it."""
    result = carrier_list(user=user, filters=filters)
    if not result.is_valid:
        return '{"type":"FeatureCollection","features":[]}'
    rows = list(result.queryset.exclude(map_feature="").order_by().values_list("id", "map_feature", "town", "org_unit"))
    units = {unit for row in rows for unit in row[2:]}
    names = {
        pk: json.dumps(name, ensure_ascii=False)
        for pk, name in OrgUnit.objects.filter(pk__in=units).values_list("pk", "name")
    }
    names[None] = '""'
    parts = [
        f'{{"type":"Feature","id":{pk},{body},"id":{pk},"town":{names[town]},"owner":{names[owner]}}}}}'
        for pk, body, town, owner in rows
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


# --- matching ------------------------------------------------------------------------------------------


def match_runs_of(
    *, user, project_id: int | None = None, lead_id: int | None = None, limit: int = 10
) -> list[CarrierMatchRun]:
    region = user.org_unit.region_id if user.org_unit_id else None
    runs = CarrierMatchRun.objects.filter(region_id=region)
    runs = runs.filter(project_id=project_id) if project_id else runs.filter(lead_id=lead_id)
    return list(runs.select_related("actor")[:limit])


def match_run_get(*, user, pk: int) -> CarrierMatchRun:
    region = user.org_unit.region_id if user.org_unit_id else None
    run = CarrierMatchRun.objects.filter(pk=pk, region_id=region).first()
    if run is None:
        raise NotFound()
    return run


# --- public reads for other apps (the cockpit) ---------------------------------------------------------


def supply_by_town(*, user) -> list[dict]:
    """Per town (or zone) and kind: 可供 area, 已预留 area, 已出让 this year (by the status change's date)."""
    carriers = Carrier.objects.restrict(user)
    year_start = timezone.localdate().replace(month=1, day=1)
    rows = (
        carriers.values("town__name", "kind")
        .annotate(
            available=Sum("area_mu", filter=Q(status=Carrier.Status.AVAILABLE)),
            reserved=Sum("area_mu", filter=Q(status=Carrier.Status.RESERVED)),
            count=Count("id"),
        )
        .order_by("town__name", "kind")
    )
    taken = dict(
        CarrierStatusChange.objects.filter(
            carrier__in=carriers, to_status=Carrier.Status.TAKEN, at__date__gte=year_start
        )
        .values_list("carrier__town__name")
        .annotate(area=Sum("carrier__area_mu"))
        .values_list("carrier__town__name", "area")
    )
    return [
        {
            "town": r["town__name"] or "未指定",
            "kind": KIND_LABELS[r["kind"]],
            "available": r["available"] or 0,
            "reserved": r["reserved"] or 0,
            "count": r["count"],
            "taken_this_year": taken.get(r["town__name"], 0) or 0,
        }
        for r in rows
    ]


def redevelopment(*, user) -> dict:
    """低效用地 / 闲置厂房 to redevelop: count and area."""
    agg = (
        Carrier.objects.restrict(user).filter(kind=Carrier.Kind.REDEVELOP).aggregate(n=Count("id"), area=Sum("area_mu"))
    )
    return {"count": agg["n"], "area": agg["area"] or 0}


def commitment_results(*, user) -> dict:
    """标准地 commitments at 达产: checks passed and failed."""
    checks = LandProductionCheck.objects.filter(carrier__in=Carrier.objects.restrict(user))
    agg = checks.aggregate(met=Count("id", filter=Q(passed=True)), missed=Count("id", filter=Q(passed=False)))
    return {"passed": agg["met"], "failed": agg["missed"]}


def per_mu_comparison(*, user, limit: int = 20) -> list[dict]:
    """亩均 figures of the latest 达产复核 per landed project (tax and output per 亩), for the comparison chart."""
    rows = []
    for check in LandProductionCheck.objects.filter(carrier__in=Carrier.objects.restrict(user)).select_related(
        "project", "carrier"
    )[:limit]:
        figures = {item["code"]: item["actual"] for item in check.items}
        rows.append(
            {"project": check.project.name, "carrier": check.carrier.name, "figures": figures, "passed": check.passed}
        )
    return rows
