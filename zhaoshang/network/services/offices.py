"""Resident offices: profiles, annual targets, the 考核办法's indicators, and the activity log — an activity can
create or update a lead in the same action."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhaoshang.core import services as core
from zhaoshang.core.audit import snapshot
from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.leads import selectors as lead_selectors
from zhaoshang.leads import services as lead_services

from ..models import Activity, AssessmentIndicator, LeadSource, Metric, OfficeProfile, OfficeTarget
from .common import log_row, require_center, require_change

# The 考核办法 when a county has not set its own: points per indicator (100 in all).
DEFAULT_INDICATORS = (
    (Metric.LEADS, Decimal("20")),
    (Metric.QUALITY_LEADS, Decimal("15")),
    (Metric.VISITS, Decimal("15")),
    (Metric.NEGOTIATING, Decimal("15")),
    (Metric.SIGNED, Decimal("15")),
    (Metric.LANDED, Decimal("10")),
    (Metric.FDI, Decimal("10")),
)
TARGET_FIELDS = ("new_leads", "valid_visits", "negotiating", "signed", "landed", "fdi_usd")


def office_create(*, actor, data: dict[str, Any]) -> OfficeProfile:
    """A profile for an office unit (the form offers only units of kind office; the API the actor's own unit)."""
    require_change(actor)
    return core.object_create(model=OfficeProfile, actor=actor, data=data)


def office_update(*, actor, office: OfficeProfile, data: dict[str, Any], version: int) -> OfficeProfile:
    return core.object_update(obj=office, actor=actor, data=data, version=version)


def office_delete(*, actor, office: OfficeProfile, version: int | None = None) -> None:
    core.object_delete(obj=office, actor=actor, version=version)


def office_restore(*, actor, pk: int) -> OfficeProfile:
    return core.object_restore(model=OfficeProfile, actor=actor, pk=pk)


def target_set(*, actor, office: OfficeProfile, year: int, data: dict[str, Any]) -> OfficeTarget:
    """Set an office's annual targets (the center or a leader); one change-log row."""
    require_center(actor)
    if office.region_id != actor.org_unit.region_id:
        raise ValidationFailed("不能为其他区县的办事处设定目标")
    values = {k: v for k, v in data.items() if k in TARGET_FIELDS}
    if any(v is not None and v < 0 for v in values.values()):
        raise ValidationFailed(fields={k: ["不能为负数"] for k, v in values.items() if v is not None and v < 0})
    with transaction.atomic():
        target = OfficeTarget.objects.select_for_update().filter(office=office, year=year).first()
        before = snapshot(target) if target else None
        if target is None:
            target = OfficeTarget(office=office, year=year)
        for name, value in values.items():
            setattr(target, name, value)
        target.save()
        log_row(actor, target, before, ObjectChange.Action.UPDATE if before else ObjectChange.Action.CREATE)
    return target


def indicators_set(*, actor, weights: dict[str, Decimal]) -> list[AssessmentIndicator]:
    """Replace the county's 考核办法: the metrics kept and their points (the center or a leader)."""
    require_center(actor)
    unknown = set(weights) - set(Metric.values)
    if unknown or any(w is None or w < 0 for w in weights.values()):
        raise ValidationFailed("指标或分值无效")
    region = actor.org_unit.region
    with transaction.atomic():
        for old in AssessmentIndicator.objects.filter(region=region):
            if old.metric not in weights:
                before = snapshot(old)
                old.delete()
                log_row(actor, old, before, ObjectChange.Action.DELETE)
        kept = []
        for order, metric in enumerate(m for m in Metric.values if m in weights):
            row = AssessmentIndicator.objects.filter(region=region, metric=metric).first()
            before = snapshot(row) if row else None
            row = row or AssessmentIndicator(region=region, metric=metric)
            row.weight, row.order = weights[metric], order
            row.save()
            log_row(actor, row, before, ObjectChange.Action.UPDATE if before else ObjectChange.Action.CREATE)
            kept.append(row)
    return kept


def activity_create(*, actor, data: dict[str, Any]) -> Activity:
    require_change(actor)
    data = dict(data)
    if data.get("enterprise") is not None and not data.get("enterprise_name"):
        data["enterprise_name"] = data["enterprise"].name
    return core.object_create(model=Activity, actor=actor, data=data)


def activity_update(*, actor, activity: Activity, data: dict[str, Any], version: int) -> Activity:
    return core.object_update(obj=activity, actor=actor, data=data, version=version)


def activity_delete(*, actor, activity: Activity, version: int | None = None) -> None:
    core.object_delete(obj=activity, actor=actor, version=version)


def activity_restore(*, actor, pk: int) -> Activity:
    return core.object_restore(model=Activity, actor=actor, pk=pk)


def office_of_unit(unit_id: int | None) -> OfficeProfile | None:
    return OfficeProfile.objects.filter(org_unit_id=unit_id).first() if unit_id else None


def activity_to_lead(
    *, actor, activity: Activity, lead_data: dict[str, Any] | None = None, lead=None, on: date | None = None
):
    """One action from an activity: register a new lead (channel 驻外办事处, source record this office and
    activity) or, with ``lead``, add the activity to that lead as a follow-up. The activity links to the lead."""
    require_change(actor)
    with transaction.atomic():
        current = core.object_get_for_change(model=Activity, actor=actor, pk=activity.pk)
        if lead is None:
            data = {
                "title": f"{current.enterprise_name or current.topic}项目",
                "enterprise_name": current.enterprise_name,
                "source": "office",
                "source_unit": current.org_unit,
                "description": current.content or current.topic,
                **(lead_data or {}),
            }
            if current.enterprise_id and "enterprise" not in data:
                data["enterprise"] = current.enterprise
            lead = lead_services.lead_register(actor=actor, data=data, on=on)
            source_link(
                actor=actor,
                lead=lead,
                kind=LeadSource.Kind.OFFICE,
                office=office_of_unit(current.org_unit_id),
                activity=current,
            )
        else:
            lead = lead_selectors.lead_get(user=actor, pk=lead.pk, action="change")
        lead_services.followup_add(
            actor=actor,
            lead=lead,
            data={
                "kind": {"visit": "visit", "reception": "reception"}.get(current.kind, "event"),
                "date": current.date,
                "their_side": current.people_met,
                "summary": current.content or current.topic,
                "next_step": current.next_step,
            },
        )
        before = snapshot(current)
        current.lead_id = lead.pk
        current.version += 1
        current.save(update_fields=["lead", "version", "updated_at"])
        log_row(actor, current, before)
    return lead


def source_link(*, actor, lead, kind: str, **records) -> LeadSource:
    """Record (or replace) the source record of a lead."""
    fields = {
        name: records.get(name)
        for name in ("office", "activity", "intermediary", "agreement", "referrer", "sister_city", "event")
    }
    with transaction.atomic():
        link = LeadSource.objects.filter(lead_id=lead.pk).first()
        before = snapshot(link) if link else None
        link = link or LeadSource(lead_id=lead.pk, created_by=actor)
        link.kind = kind
        for name, value in fields.items():
            setattr(link, name, value)
        link.save()
        log_row(actor, link, before, ObjectChange.Action.UPDATE if before else ObjectChange.Action.CREATE)
    return link
