"""Follow up, assess, close (shelve or merge) a lead; reveal its phone (audited)."""

from datetime import date
from typing import Any

from django.db import transaction

from zhaoshang.core import parsers
from zhaoshang.core.audit import security_event, snapshot
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import SecurityEvent
from zhaoshang.core.roles import Cap

from ..models import Lead, LeadEvent, LeadFollowUp
from .common import _lead_for, _save, _today, event

# --- follow-up, assessment, closing --------------------------------------------------------------


def followup_add(*, actor, lead: Lead, data: dict[str, Any]) -> LeadFollowUp:
    if not (data.get("summary") or "").strip():
        raise ValidationFailed(fields={"summary": ["请填写跟进内容"]})
    if data.get("kind") not in LeadFollowUp.Kind.values:
        raise ValidationFailed(fields={"kind": ["跟进方式无效"]})
    day = data.get("date") or _today(None)
    if data.get("next_date"):
        parsers.require({"next_date": lambda: parsers.upcoming_date(data["next_date"])})
    with transaction.atomic():
        lead = _lead_for(actor, lead.pk)
        followup = LeadFollowUp.objects.create(lead=lead, author=actor, **{**data, "date": day})
        before = snapshot(lead)
        lead.responded_on = lead.responded_on or day
        lead.last_report_on = max(filter(None, [lead.last_report_on, day]))
        if data.get("next_date"):
            lead.next_followup_on = data["next_date"]
        if lead.status in (Lead.Status.NEW, Lead.Status.ASSIGNED):
            lead.status = Lead.Status.FOLLOWING
        _save(actor, lead, before, ["responded_on", "last_report_on", "next_followup_on", "status"])
        event(
            lead,
            LeadEvent.Kind.FOLLOWUP,
            f"{LeadFollowUp.Kind(data['kind']).label}：{data['summary'][:120]}",
            actor=actor,
            on=day,
        )
    return followup


def lead_assess(*, actor, lead: Lead, grade: str, note: str = "", on: date | None = None) -> Lead:
    if grade not in Lead.Grade.values:
        raise ValidationFailed(fields={"grade": ["等级应为 A、B 或 C"]})
    with transaction.atomic():
        lead = _lead_for(actor, lead.pk)
        if lead.status not in Lead.OPEN_STATUSES:
            raise ValidationFailed("已结束的线索不能研判")
        before = snapshot(lead)
        lead.grade, lead.status, lead.assessed_on = grade, Lead.Status.ASSESSED, _today(on)
        lead.responded_on = lead.responded_on or lead.assessed_on
        _save(actor, lead, before, ["grade", "status", "assessed_on", "responded_on"])
        event(
            lead,
            LeadEvent.Kind.ASSESSED,
            f"研判为 {Lead.Grade(grade).label}" + (f"：{note}" if note else ""),
            actor=actor,
            on=on,
        )
    return lead


def lead_close(*, actor, lead: Lead, reason: str, merge_into: Lead | None = None) -> Lead:
    """Shelve a lead, or mark it merged into another; both keep a reason."""
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": ["请填写原因"]})
    with transaction.atomic():
        lead = _lead_for(actor, lead.pk)
        if lead.status not in Lead.OPEN_STATUSES:
            raise ValidationFailed("该线索已结束")
        before = snapshot(lead)
        if merge_into is not None:
            if merge_into.pk == lead.pk or not Lead.objects.restrict(actor).filter(pk=merge_into.pk).exists():
                raise ValidationFailed(fields={"merge_into": ["请选择您可见的另一条线索"]})
            lead.status, lead.merged_into = Lead.Status.MERGED, merge_into
            event(lead, LeadEvent.Kind.MERGED, f"合并至 {merge_into.code}：{reason}", actor=actor)
        else:
            lead.status = Lead.Status.SHELVED
            event(lead, LeadEvent.Kind.SHELVED, f"搁置：{reason}", actor=actor)
        lead.closed_reason = reason.strip()[:200]
        _save(actor, lead, before, ["status", "merged_into", "closed_reason"])
    return lead


def lead_reveal_phone(*, actor, lead_id: int, request=None) -> str:
    lead = Lead.objects.restrict(actor).filter(pk=lead_id).first()
    if lead is None:
        raise NotFound()
    allowed = actor.has_capability(Cap.REVEAL_PERSONAL)
    security_event(
        SecurityEvent.Kind.REVEAL,
        user=actor,
        success=allowed,
        request=request,
        object_repr=str(lead),
        detail={"lead_id": lead.pk},
    )
    if not allowed:
        raise PermissionDenied("您的角色不能查看完整联系方式")
    return lead.reveal_phone()
