"""The carriers' side of the project lifecycle (connected in ``receivers``): at 供地 the project's reservation
turns the carrier 已出让 and links the project, and a 标准地 parcel's indicator values become the project's
commitments; at 达产 the 达产复核 compares the project's figures with them."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from zhaoshang.projects.services.external import lifecycle_warning_raise

from ..models import Carrier, CarrierReservation, LandCommitment, LandIndicator, LandProductionCheck
from .carriers import carrier_set_status
from .reservations import reservation_for_supply


def land_supplied(*, project, actor, on: date) -> Carrier | None:
    """供地 closed: the project's live reservation becomes 已供地, its carrier 已出让 and linked to the project."""
    with transaction.atomic():
        reservation = reservation_for_supply(project=project)
        if reservation is None:
            return None
        reservation.status = CarrierReservation.Status.CONVERTED
        reservation.save(update_fields=["status"])
        carrier = carrier_set_status(
            actor=actor,
            carrier=reservation.carrier,
            status=Carrier.Status.TAKEN,
            reason=f"供地：{project.name}",
            project_id=project.pk,
        )
        if carrier.is_standard_land:
            LandCommitment.objects.bulk_create(
                [
                    LandCommitment(carrier=carrier, project_id=project.pk, indicator_id=v.indicator_id, value=v.value)
                    for v in carrier.indicator_values.all()
                ],
                ignore_conflicts=True,
            )
    return carrier


def actual_figure(project, source: str) -> Decimal | None:
    """The project's figure an indicator is checked against (per 亩 of its land)."""
    land = project.land_mu
    numerator = {
        LandIndicator.Source.INVESTMENT_PER_MU: project.total_investment,
        LandIndicator.Source.TAX_PER_MU: project.annual_tax,
        LandIndicator.Source.OUTPUT_PER_MU: project.annual_output,
    }.get(source)
    if numerator is None or not land:
        return None
    return (Decimal(numerator) / Decimal(land)).quantize(Decimal("0.01"))


def check_items(project, commitments) -> list[dict]:
    """One item per commitment: committed, actual, gap and whether it is met (None: cannot be checked)."""
    items = []
    for c in commitments:
        indicator = c.indicator
        actual = actual_figure(project, indicator.source)
        if actual is None:
            met, gap = None, None
        elif indicator.direction == LandIndicator.Direction.AT_LEAST:
            gap, met = actual - c.value, actual >= c.value
        else:
            gap, met = c.value - actual, actual <= c.value
        items.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "direction": indicator.get_direction_display(),
                "committed": str(c.value),
                "actual": None if actual is None else str(actual),
                "gap": None if gap is None else str(gap),
                "met": met,
            }
        )
    return items


def _failure_text(items: list[dict]) -> str:
    parts = []
    for item in items:
        if item["met"] is False:
            parts.append(
                f"{item['name']}承诺{item['direction']} {item['committed']} {item['unit']}，"
                f"实际 {item['actual']}，差 {abs(Decimal(item['gap']))}"
            )
    return "；".join(parts)


def production_check(*, project, actor, on: date) -> list[LandProductionCheck]:
    """达产 closed: a 达产复核 per 标准地 parcel the project took; a failed one warns in the lifecycle."""
    checks = []
    commitments = list(
        LandCommitment.objects.filter(project_id=project.pk)
        .select_related("indicator")
        .order_by("carrier_id", "indicator__order", "id")
    )
    by_carrier: dict[int, list] = {}
    for c in commitments:
        by_carrier.setdefault(c.carrier_id, []).append(c)
    for carrier_id, rows in by_carrier.items():
        items = check_items(project, rows)
        passed = all(item["met"] is not False for item in items)
        check = LandProductionCheck.objects.create(
            carrier_id=carrier_id, project_id=project.pk, passed=passed, items=items, checked_on=on, actor=actor
        )
        checks.append(check)
        if not passed:
            lifecycle_warning_raise(
                project_id=project.pk,
                title="标准地达产复核未通过",
                text=_failure_text(items),
                actor=actor,
                on=on,
                data={"carrier_id": carrier_id, "check_id": check.pk},
            )
    return checks
