"""Assign a lead to a unit, claim one from the pool, assign by the rules."""

from datetime import date

from django.db import transaction
from django.urls import reverse

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.core.audit import snapshot
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import coordinates
from zhaoshang.notify.services import NotificationLevel, notify_unit, notify_users

from ..models import AssignmentRule, Lead, LeadEvent
from .common import _lead_for, _save, event

# --- assignment -----------------------------------------------------------------------------------


def lead_assign(*, actor, lead: Lead, unit: OrgUnit, owner: User | None = None, on: date | None = None) -> Lead:
    """Hand a lead to a unit (and optionally an officer of it). The actor must be able to change it, or
    coordinate the county (an officer of a 统筹单位 assigns and reassigns every unit's leads)."""
    if unit.region_id != lead.region_id:
        raise ValidationFailed(fields={"unit": ["请选择本地区的单位"]})
    if owner is not None and (owner.org_unit_id != unit.pk or not owner.is_active):
        raise ValidationFailed(fields={"owner": ["跟进人须是该单位的在岗人员"]})
    with transaction.atomic():
        lead = _lead_to_assign(actor, lead.pk)
        if lead.status not in Lead.OPEN_STATUSES:
            raise ValidationFailed("已结束的线索不能再分派")
        before = snapshot(lead)
        lead.org_unit, lead.region_id, lead.owner, lead.in_pool = unit, unit.region_id, owner, False
        lead.status = Lead.Status.ASSIGNED
        _save(actor, lead, before, ["org_unit", "region", "owner", "in_pool", "status"])
        who = f"{unit.name}{owner.display_name if owner else ''}"
        event(lead, LeadEvent.Kind.ASSIGNED, f"{actor.display_name}分派给{who}", actor=actor, on=on)
        url = reverse("leads:lead_detail", args=[lead.pk])
        if owner:
            notify_users([owner], title=f"新分派线索：{lead.title}", url=url, level=NotificationLevel.TASK)
        else:
            notify_unit(unit, title=f"新分派线索：{lead.title}", url=url, level=NotificationLevel.TASK)
    return lead


def _lead_to_assign(actor, lead_id: int) -> Lead:
    if coordinates(actor):
        lead = Lead.objects.restrict(actor).select_for_update().filter(pk=lead_id).first()
        if lead is None:
            raise NotFound()
        return lead
    return _lead_for(actor, lead_id)


def lead_claim(*, actor, lead: Lead, on: date | None = None) -> Lead:
    """A unit takes a lead from the pool; it becomes theirs."""
    if not actor.has_capability(Cap.CLAIM_LEADS) or actor.org_unit_id is None:
        raise PermissionDenied("只有招商专员可以认领线索")
    with transaction.atomic():
        lead = Lead.objects.select_for_update().filter(pk=lead.pk, region_id=actor.org_unit.region_id).first()
        if lead is None:
            raise NotFound()
        if not lead.in_pool:
            # Outside the pool, a lead the actor cannot see does not exist for them (no "already claimed"
            # that would tell another unit's lead exists).
            if not Lead.objects.restrict(actor).filter(pk=lead.pk).exists():
                raise NotFound()
            raise ValidationFailed("该线索已被认领或分派")
        before = snapshot(lead)
        lead.org_unit, lead.owner, lead.in_pool, lead.status = actor.org_unit, actor, False, Lead.Status.ASSIGNED
        _save(actor, lead, before, ["org_unit", "owner", "in_pool", "status"])
        event(lead, LeadEvent.Kind.CLAIMED, f"{actor.org_unit.name}{actor.display_name}认领", actor=actor, on=on)
        if lead.created_by_id and lead.created_by_id != actor.pk:
            notify_users(
                [lead.created_by],
                title=f"线索已被认领：{lead.title}",
                body=f"由{actor.org_unit.name}{actor.display_name}跟进",
                url=lead.get_absolute_url(),
            )
    return lead


def lead_auto_assign(*, actor, lead: Lead) -> Lead | None:
    """Apply the county's assignment rules to a pooled lead; None when no rule matches."""
    lead = Lead.objects.select_related("industry").get(pk=lead.pk)
    for rule in AssignmentRule.objects.filter(region_id=lead.region_id, is_active=True).select_related("assign_unit"):
        if rule.matches(lead):
            return lead_assign(actor=actor, lead=lead, unit=rule.assign_unit)
    return None
