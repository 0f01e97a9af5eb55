"""Register, update and delete leads, with the duplicate and 首谈保护 checks."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max, Q

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core import parsers
from zhaoshang.core import services as core
from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE
from zhaoshang.core.text import normalize_company_name

from ..models import Lead, LeadEvent
from .common import EDITABLE, _today, amount_rmb, event, rules_for

# --- duplicates and 首谈保护 -------------------------------------------------------------------------


@dataclass(frozen=True)
class LeadMatch:
    id: int
    title: str
    owner_unit: str
    registered_on: date
    protected_until: date | None
    visible: bool
    reason: str


def matching_leads(
    *, region_id: int, name: str = "", enterprise_id: int | None = None, exclude_id: int | None = None, user=None
) -> list[LeadMatch]:
    """Open leads for the same investor anywhere in the county. Outside the user's scope only the title
    and the owner unit are shown (never details)."""
    norm = normalize_company_name(name) if name else ""
    condition = Q()
    if norm:
        condition |= Q(normalized_name=norm)
    if enterprise_id:
        condition |= Q(enterprise_id=enterprise_id)
    if not condition:
        return []
    leads = (
        Lead.objects.filter(region_id=region_id, status__in=Lead.OPEN_STATUSES)
        .filter(condition)
        .exclude(pk=exclude_id)
        .select_related("org_unit")
        .order_by("registered_on")[:10]
    )
    visible = set(Lead.objects.restrict(user).filter(pk__in=[lead.pk for lead in leads]).values_list("pk", flat=True))
    return [
        LeadMatch(
            lead.pk,
            lead.title if lead.pk in visible else "（不在您的数据范围内）",
            lead.org_unit.name,
            lead.registered_on,
            lead.protected_until,
            lead.pk in visible,
            "同一投资主体已有在办线索",
        )
        for lead in leads
    ]


def _check_protection(
    actor, region_id: int, norm: str, enterprise_id: int | None, on: date, exclude_id: int | None = None
) -> None:
    condition = Q(normalized_name=norm) if norm else Q()
    if enterprise_id:
        condition |= Q(enterprise_id=enterprise_id)
    if not condition:
        return
    protected = (
        Lead.objects.filter(region_id=region_id, status__in=Lead.OPEN_STATUSES, protected_until__gte=on)
        .filter(condition)
        .exclude(pk=exclude_id)
        .exclude(org_unit_id__in=actor.org_unit.subtree_ids())
        .select_related("org_unit")
        .first()
    )
    if protected:
        message = (
            f"该投资主体的线索已由{protected.org_unit.name}于 {protected.registered_on:%Y-%m-%d} 首谈登记，"
            f"受首谈保护至 {protected.protected_until:%Y-%m-%d}，其他单位不能重复登记或洽谈；"
            f"请联系{protected.org_unit.name}共同推进"
        )
        raise ValidationFailed(
            message, fields={"enterprise_name": [message]}, extra={"owner_unit": protected.org_unit.name}
        )


def check_protection(actor, normalized_name: str, on: date | None = None) -> None:
    """Raise ``ValidationFailed`` if another unit's lead for this investor is under 首谈保护."""
    _check_protection(actor, actor.org_unit.region_id, normalized_name, None, _today(on))


def _next_code(region: OrgUnit, year: int) -> str:
    prefix = f"XS-{year}-"  # one sequence for the deployment: codes are unique across counties
    last = Lead.all_objects.filter(code__startswith=prefix).aggregate(m=Max("code"))["m"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


def _checked_input(data: dict[str, Any], phone: str | None, *, today: date, lead: Lead | None = None) -> str | None:
    """The phone normalised; ``ValidationFailed`` naming each wrong field: the phone, a next follow-up set
    (or moved) to a day already past. A next follow-up kept as it was may lie in the past: time went on."""
    checks = {}
    if phone is not None:
        checks["contact_phone"] = lambda: parsers.phone(phone)
    upcoming = data.get("next_followup_on")
    # Compared with the stored value: a model form has already put the new one on ``lead``.
    if upcoming and (
        lead is None or upcoming != Lead.all_objects.filter(pk=lead.pk).values_list("next_followup_on", flat=True)[0]
    ):
        checks["next_followup_on"] = lambda: parsers.upcoming_date(upcoming, today=today)
    return parsers.require(checks).get("contact_phone", phone)


def lead_register(
    *, actor, data: dict[str, Any], phone: str = "", to_pool: bool = False, on: date | None = None
) -> Lead:
    """Register a lead for the actor's unit (the actor follows it up), or into the pool."""
    on = _today(on)
    unknown = set(data) - EDITABLE
    if unknown:
        raise ValidationFailed(fields={k: ["不允许设置该字段"] for k in unknown})
    if not actor.has_capability(Cap.BUSINESS_CHANGE) or actor.org_unit_id is None:
        raise PermissionDenied()
    data = dict(data)
    enterprise = data.get("enterprise")
    if enterprise is not None and not data.get("enterprise_name"):
        data["enterprise_name"] = enterprise.name
    if not (data.get("title") or "").strip():
        raise ValidationFailed(fields={"title": ["请填写线索名称"]})
    if not data.get("source"):
        raise ValidationFailed(fields={"source": ["请选择来源渠道"]})
    phone = _checked_input(data, phone or "", today=on)
    norm = normalize_company_name(data.get("enterprise_name") or "")
    region_id = actor.org_unit.region_id
    with transaction.atomic():
        _check_protection(actor, region_id, norm, getattr(enterprise, "pk", None), on)
        rules = rules_for(region_id)
        probe = Lead(investment_rmb=data.get("investment_rmb"), investment_fdi=data.get("investment_fdi"))
        protected_until = (
            on + timedelta(days=rules.protect_days) if amount_rmb(probe, rules) >= rules.protect_amount else None
        )
        lead = Lead(
            **data,
            code=_next_code(actor.org_unit.region, on.year),
            normalized_name=norm,
            registered_on=on,
            protected_until=protected_until,
            in_pool=to_pool,
            owner=None if to_pool else actor,
            status=Lead.Status.NEW if to_pool else Lead.Status.ASSIGNED,
        )
        if lead.org_unit_id is None:
            lead.org_unit = actor.org_unit
        lead.set_phone(phone)
        lead.region_id = lead.org_unit.region_id
        lead.created_by = lead.updated_by = actor
        core.validate_or_raise(lead, exclude=["region"])
        lead.save()
        if not Lead.objects.restrict(actor, CHANGE).filter(pk=lead.pk).exists():
            raise PermissionDenied("保存后的线索不在您的数据范围内，操作已撤销")
        log_change(actor=actor, obj=lead, action=ObjectChange.Action.CREATE, before=None, after=snapshot(lead))
        where = "放入待分派池" if to_pool else f"由{actor.display_name}跟进"
        protect = f"；受首谈保护至 {protected_until:%Y-%m-%d}" if protected_until else ""
        event(lead, LeadEvent.Kind.REGISTERED, f"{lead.org_unit.name}登记线索，{where}{protect}", actor=actor, on=on)
    return lead


def lead_update(*, actor, lead: Lead, data: dict[str, Any], version: int, phone: str | None = None) -> Lead:
    unknown = set(data) - EDITABLE
    if unknown:
        raise ValidationFailed(fields={k: ["不允许修改该字段"] for k in unknown})
    data = dict(data)
    phone = _checked_input(data, phone, today=_today(None), lead=lead)
    if "enterprise_name" in data or "enterprise" in data:
        name = data.get("enterprise_name") or (data["enterprise"].name if data.get("enterprise") else "")
        data["normalized_name"] = normalize_company_name(name)
    if phone is not None:
        probe = Lead()
        probe.set_phone(phone)
        data.update(contact_phone_cipher=probe.contact_phone_cipher, contact_phone_masked=probe.contact_phone_masked)
    with transaction.atomic():
        if "normalized_name" in data:
            _check_protection(
                actor,
                lead.region_id,
                data["normalized_name"],
                getattr(data.get("enterprise"), "pk", None),
                _today(None),
                exclude_id=lead.pk,
            )
        return core.object_update(obj=lead, actor=actor, data=data, version=version)


def lead_delete(*, actor, lead: Lead, version: int | None = None) -> Lead:
    """Remove a lead registered by mistake (soft delete; the change log keeps it)."""
    return core.object_delete(obj=lead, actor=actor, version=version)
