"""Shared by the lead services: the day, the region's rules, amounts in 万元, events, the locked record and
its change-log save."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import NotFound
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.scope import CHANGE

from ..models import Lead, LeadEvent, LeadRules

EDITABLE = {n for f in Lead._meta.concrete_fields if f.editable for n in (f.name, f.attname)} - {
    "code",
    "region",
    "region_id",
    "registered_on",
}


def _today(on: date | None) -> date:
    return on or timezone.localdate()


def rules_for(region_id: int) -> LeadRules:
    rules, _ = LeadRules.objects.get_or_create(region_id=region_id)
    return rules


def amount_rmb(lead: Lead, rules: LeadRules) -> Decimal:
    """The lead's size in 万元 for 首谈保护 and 重大 rules: RMB, else the FDI converted."""
    if lead.investment_rmb:
        return lead.investment_rmb
    if lead.investment_fdi:
        return lead.investment_fdi * rules.usd_rate
    return Decimal(0)


def event(lead: Lead, kind: str, text: str, *, actor=None, on: date | None = None) -> LeadEvent:
    return LeadEvent.objects.create(lead=lead, kind=kind, text=text[:300], actor=actor, occurred_on=_today(on))


def _lead_for(actor, lead_id: int, action: str = CHANGE) -> Lead:
    lead = Lead.objects.restrict(actor, action).select_for_update().filter(pk=lead_id).first()
    if lead is None:
        raise NotFound()
    return lead


def _save(actor, lead: Lead, before: dict, fields: list[str]) -> None:
    lead.version += 1
    lead.updated_by = actor
    lead.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
    log_change(actor=actor, obj=lead, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(lead))
