"""Reads of the 载体库: the list (one per kind through the ``kind`` filter), one record, the map's GeoJSON, a
record's reservations, history and 标准地 data; public reads for the cockpit at the end."""

import json

from django.db.models import Count, FloatField, Q, Sum, TextField
from django.db.models.functions import Cast
from django.utils import timezone

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
_FLOATS = ("area_mu", "price_wan_per_mu", "rent_yuan_m2_month", "floor_area_m2", "latitude", "longitude")
MAP_FIELDS = ("id", "name", "kind", "status", "power_kva", "is_standard_land", "town__name", "org_unit__name")


def _text(value) -> str:
    return json.dumps(value or "", ensure_ascii=False)


def _number(value) -> str:
    return (
        "null"
        if value is None
        else (f"{value:.6f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value))
    )


def map_geojson(*, user, filters) -> str:
    """A GeoJSON FeatureCollection of the filtered carriers, as text: a polygon where a boundary exists, else a
    point; the properties are what the map's card shows. One query; the stored boundary text and plain floats
    go straight into the answer (no JSON parsing or Decimal conversion of 10,000 rows)."""
    result = carrier_list(user=user, filters=filters)
    if not result.is_valid:
        return '{"type":"FeatureCollection","features":[]}'
    annotations = {f"{name}_f": Cast(name, FloatField()) for name in _FLOATS}
    rows = (
        result.queryset.filter(latitude__isnull=False)
        .annotate(boundary_text=Cast("boundary", TextField()), **annotations)
        .order_by()
        .values(*MAP_FIELDS, "boundary_text", *annotations)
    )
    parts = []
    for r in rows.iterator(chunk_size=2000):
        lat, lng = _number(r["latitude_f"]), _number(r["longitude_f"])
        geometry = (
            r["boundary_text"]
            if r["boundary_text"] not in (None, "null")
            else (f'{{"type":"Point","coordinates":[{lng},{lat}]}}')
        )
        parts.append(
            f'{{"type":"Feature","id":{r["id"]},"geometry":{geometry},"properties":{{"id":{r["id"]},'
            f'"name":{_text(r["name"])},"kind":"{r["kind"]}","kind_label":"{KIND_LABELS[r["kind"]]}",'
            f'"status":"{r["status"]}","status_label":"{STATUS_LABELS[r["status"]]}",'
            f'"area_mu":{_number(r["area_mu_f"])},"power_kva":{_number(r["power_kva"])},'
            f'"price":{_number(r["price_wan_per_mu_f"])},"rent":{_number(r["rent_yuan_m2_month_f"])},'
            f'"floor_area_m2":{_number(r["floor_area_m2_f"])},'
            f'"standard":{"true" if r["is_standard_land"] else "false"},'
            f'"town":{_text(r["town__name"])},"owner":{_text(r["org_unit__name"])},"lat":{lat},"lng":{lng}}}}}'
        )
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
