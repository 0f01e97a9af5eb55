"""Writes to leads: register (duplicate and 首谈保护 checks), assign, claim, follow up, assess, shelve,
merge and convert into a project. Atomic, scoped, change-logged, with lead events and notifications."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.core import services as core
from zhaoshang.core.audit import log_change, security_event, snapshot
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange, SecurityEvent
from zhaoshang.core.roles import Cap, Role
from zhaoshang.core.scope import CHANGE
from zhaoshang.core.text import normalize_company_name
from zhaoshang.core.workdays import add_workdays
from zhaoshang.enterprises import services as enterprise_services
from zhaoshang.notify.services import NotificationLevel, notify_unit, notify_users
from zhaoshang.projects import services as project_services
from zhaoshang.projects.services import EventKind as ProjectEventKind

from .models import AssignmentRule, Lead, LeadEvent, LeadFollowUp, LeadRules

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


def lead_rules_update(*, actor, region: OrgUnit, data: dict[str, Any]) -> LeadRules:
    """Change the county's lead clocks, 首谈保护 and exchange rate (系统管理)."""
    return core.config_update(actor=actor, obj=rules_for(region.pk), data=data)


def assignment_rule_create(*, actor, region: OrgUnit, data: dict[str, Any]) -> AssignmentRule:
    """Add an assignment rule for the county's new leads."""
    with transaction.atomic():
        rule = AssignmentRule(region=region, **data)
        rule.save()
        log_change(actor=actor, obj=rule, action=ObjectChange.Action.CREATE, before=None, after=snapshot(rule))
    return rule


def assignment_rule_delete(*, actor, region: OrgUnit, rule_id) -> bool:
    """Remove one of the county's assignment rules; False when there is no such rule."""
    with transaction.atomic():
        rule = AssignmentRule.objects.select_for_update().filter(region=region, pk=rule_id).first()
        if rule is None:
            return False
        log_change(actor=actor, obj=rule, action=ObjectChange.Action.DELETE, before=snapshot(rule), after=None)
        rule.delete()
    return True


def amount_rmb(lead: Lead, rules: LeadRules) -> Decimal:
    """The lead's size in 万元 for 首谈保护 and 重大 rules: RMB, else the FDI converted."""
    if lead.investment_rmb:
        return lead.investment_rmb
    if lead.investment_fdi:
        return lead.investment_fdi * rules.usd_rate
    return Decimal(0)


def event(lead: Lead, kind: str, text: str, *, actor=None, on: date | None = None) -> LeadEvent:
    return LeadEvent.objects.create(lead=lead, kind=kind, text=text[:300], actor=actor, occurred_on=_today(on))


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


# --- assignment -----------------------------------------------------------------------------------


def lead_assign(*, actor, lead: Lead, unit: OrgUnit, owner: User | None = None, on: date | None = None) -> Lead:
    """Hand a lead to a unit (and optionally an officer of it). The actor must be able to change it."""
    if unit.region_id != lead.region_id:
        raise ValidationFailed(fields={"unit": ["请选择本地区的单位"]})
    if owner is not None and (owner.org_unit_id != unit.pk or not owner.is_active):
        raise ValidationFailed(fields={"owner": ["跟进人须是该单位的在岗人员"]})
    with transaction.atomic():
        lead = _lead_for(actor, lead.pk)
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


def lead_claim(*, actor, lead: Lead, on: date | None = None) -> Lead:
    """A unit takes a lead from the pool; it becomes theirs."""
    if not actor.has_capability(Cap.CLAIM_LEADS) or actor.org_unit_id is None:
        raise PermissionDenied("只有招商专员可以认领线索")
    with transaction.atomic():
        lead = Lead.objects.select_for_update().filter(pk=lead.pk, region_id=actor.org_unit.region_id).first()
        if lead is None:
            raise NotFound()
        if not lead.in_pool:
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


# --- follow-up, assessment, closing --------------------------------------------------------------


def followup_add(*, actor, lead: Lead, data: dict[str, Any]) -> LeadFollowUp:
    if not (data.get("summary") or "").strip():
        raise ValidationFailed(fields={"summary": ["请填写跟进内容"]})
    if data.get("kind") not in LeadFollowUp.Kind.values:
        raise ValidationFailed(fields={"kind": ["跟进方式无效"]})
    day = data.get("date") or _today(None)
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


# --- conversion -----------------------------------------------------------------------------------


def lead_convert(*, actor, lead: Lead, on: date | None = None):
    """One action: a qualified lead becomes a project at the first stage, carrying over the investor,
    amounts, site needs, contacts and the whole history; the lead links to it."""
    on = _today(on)
    with transaction.atomic():
        lead = _lead_for(actor, lead.pk)
        if lead.status not in Lead.OPEN_STATUSES:
            raise ValidationFailed("只有在办的线索可以转为项目")
        enterprise = lead.enterprise
        if enterprise is None and lead.enterprise_name:
            enterprise = enterprise_services.enterprise_create(
                actor=actor,
                data={
                    "name": lead.enterprise_name,
                    "country": lead.investor_country,
                    "org_unit": lead.org_unit,
                    "kind": "investor",
                    "origin": "foreign" if lead.investment_fdi else "domestic",
                },
            )
        if enterprise is not None and lead.contact_name:
            enterprise_services.contact_create(
                actor=actor,
                enterprise=enterprise,
                check_scope=False,
                data={
                    "name": lead.contact_name,
                    "title": lead.contact_title,
                    "phone_cipher": lead.contact_phone_cipher,
                    "phone_masked": lead.contact_phone_masked,
                },
            )
        project = project_services.project_create(
            actor=actor,
            on=on,
            data={
                "name": lead.title,
                "investor": enterprise,
                "investor_country": lead.investor_country,
                "industry": lead.industry,
                "project_type": lead.project_type,
                "total_investment": lead.investment_rmb,
                "contracted_fdi": lead.investment_fdi,
                "land_mu": lead.land_mu,
                "floor_area": lead.floor_area,
                "town": lead.preferred_town,
                "org_unit": lead.org_unit,
                "grade": lead.grade,
                "first_contact_actual": lead.registered_on,
                "chief_servant": lead.owner,
                "description": "\n".join(
                    filter(
                        None,
                        [
                            lead.description,
                            f"选址要求：{lead.site_needs}" if lead.site_needs else "",
                            f"需政府协调事项：{lead.coordination}" if lead.coordination else "",
                        ],
                    )
                ),
            },
        )
        project_services.followups_copy(
            project, ((f.kind, f.date, f.summary, f.next_step, f.author) for f in lead.followups.all())
        )
        project_services.events_copy(
            project,
            ((ProjectEventKind.FOLLOWUP, f"（线索）{e.text}", e.actor, e.occurred_on) for e in lead.events.all()),
        )
        project_services.event(project, ProjectEventKind.CREATED, f"由线索 {lead.code} 转入", actor=actor, on=on)
        before = snapshot(lead)
        lead.status, lead.project, lead.enterprise = Lead.Status.CONVERTED, project, enterprise
        _save(actor, lead, before, ["status", "project", "enterprise"])
        event(lead, LeadEvent.Kind.CONVERTED, f"转为项目 {project.code}", actor=actor, on=on)
    return project


# --- clocks ---------------------------------------------------------------------------------------


def clock_reasons(lead: Lead, rules: LeadRules, today: date) -> list[str]:
    """Why an open lead is overdue (empty when it is not): respond, assess and report clocks."""
    if lead.status not in Lead.OPEN_STATUSES or lead.in_pool:
        return []
    reasons = []
    if lead.responded_on is None and today > add_workdays(lead.registered_on, rules.respond_workdays):
        reasons.append(f"登记后 {rules.respond_workdays} 个工作日内未响应")
    major = amount_rmb(lead, rules) >= rules.protect_amount
    assess_days = rules.major_assess_workdays if major else rules.assess_workdays
    if (
        lead.assessed_on is None
        and lead.status != Lead.Status.ASSESSED
        and today > add_workdays(lead.registered_on, assess_days)
    ):
        reasons.append(f"登记后 {assess_days} 个工作日内未研判")
    last = lead.last_report_on or lead.registered_on
    if (today - last).days > rules.report_every_days:
        reasons.append(f"已 {(today - last).days} 天未报告进展（应每 {rules.report_every_days} 天）")
    return reasons


def clock_check(*, today: date | None = None) -> int:
    """Daily: remind owners of overdue leads (at most every 3 days a lead); their unit's leaders are
    told when a lead stays overdue past a week. Returns the number of reminders sent."""
    today = _today(today)
    sent = 0
    rules_cache: dict[int, LeadRules] = {}
    open_leads = Lead.objects.filter(status__in=Lead.OPEN_STATUSES, in_pool=False).select_related("owner", "org_unit")
    for lead in open_leads.iterator(chunk_size=500):
        rules = rules_cache.setdefault(lead.region_id, rules_for(lead.region_id))
        reasons = clock_reasons(lead, rules, today)
        if not reasons or (lead.overdue_notified_on and (today - lead.overdue_notified_on).days < 3):
            continue
        text = "；".join(reasons)
        url = lead.get_absolute_url()
        if lead.owner_id:
            notify_users(
                [lead.owner], title=f"线索超时：{lead.title}", body=text, url=url, level=NotificationLevel.WARNING
            )
        else:
            notify_unit(
                lead.org_unit, title=f"线索超时：{lead.title}", body=text, url=url, level=NotificationLevel.WARNING
            )
        if (today - lead.registered_on).days > 7:
            leaders = User.objects.filter(role=Role.LEADER, org_unit__region_id=lead.region_id, is_active=True)
            notify_users(
                leaders,
                title=f"线索超时提醒：{lead.org_unit.name}「{lead.title}」",
                body=text,
                url=url,
                level=NotificationLevel.WARNING,
            )
        Lead.objects.filter(pk=lead.pk).update(overdue_notified_on=today)
        event(lead, LeadEvent.Kind.OVERDUE, f"超时提醒：{text}", on=today)
        sent += 1
    return sent
