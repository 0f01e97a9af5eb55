"""Intermediaries and their agreements, referrals (以商引商 included) and the rewards they earn."""

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhaoshang.core import services as core
from zhaoshang.core.audit import snapshot
from zhaoshang.core.errors import NotFound, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.parsers import ParseError
from zhaoshang.core.parsers import phone as parse_phone
from zhaoshang.leads import selectors as lead_selectors
from zhaoshang.leads import services as lead_services
from zhaoshang.stats import selectors as stats_selectors

from ..models import Agreement, Intermediary, LeadSource, Reward
from .common import log_row, require_center, require_change
from .offices import source_link

CENT = Decimal("0.01")


def _phone(value: str) -> str:
    try:
        return parse_phone(value) if value else ""
    except ParseError as exc:
        raise ValidationFailed(fields={"contact_phone": [str(exc)]}) from exc


def intermediary_create(*, actor, data: dict[str, Any], phone: str = "") -> Intermediary:
    require_change(actor)
    data = dict(data)
    probe = Intermediary()
    probe.set_phone(_phone(phone))
    data.update(contact_phone_cipher=probe.contact_phone_cipher, contact_phone_masked=probe.contact_phone_masked)
    return core.object_create(model=Intermediary, actor=actor, data=data)


def intermediary_update(
    *, actor, intermediary: Intermediary, data: dict[str, Any], version: int, phone: str | None = None
) -> Intermediary:
    data = dict(data)
    if phone is not None:
        probe = Intermediary()
        probe.set_phone(_phone(phone))
        data.update(contact_phone_cipher=probe.contact_phone_cipher, contact_phone_masked=probe.contact_phone_masked)
    return core.object_update(obj=intermediary, actor=actor, data=data, version=version)


def intermediary_delete(*, actor, intermediary: Intermediary, version: int | None = None) -> None:
    core.object_delete(obj=intermediary, actor=actor, version=version)


def intermediary_restore(*, actor, pk: int) -> Intermediary:
    return core.object_restore(model=Intermediary, actor=actor, pk=pk)


def _check_agreement(data: dict) -> None:
    errors = {}
    if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        errors["ends_on"] = ["到期日期不能早于生效日期"]
    kind = data.get("reward_kind")
    if kind == Agreement.RewardKind.FIXED and data.get("fixed_amount") is None:
        errors["fixed_amount"] = ["固定奖励方式须填写每个项目奖励金额"]
    if kind == Agreement.RewardKind.SHARE and not data.get("share_percent"):
        errors["share_percent"] = ["比例奖励方式须填写奖励比例"]
    if kind == Agreement.RewardKind.TIERS:
        tiers = data.get("tiers") or []
        ok = isinstance(tiers, list) and tiers and all(isinstance(t, list | tuple) and len(t) == 2 for t in tiers)
        if not ok:
            errors["tiers"] = ["分档奖励须填写 [[到资下限, 奖励], …]"]
    if errors:
        raise ValidationFailed(fields=errors)


def agreement_create(*, actor, data: dict[str, Any]) -> Agreement:
    require_change(actor)
    _check_agreement(data)
    return core.object_create(model=Agreement, actor=actor, data=data)


def agreement_update(*, actor, agreement: Agreement, data: dict[str, Any], version: int) -> Agreement:
    merged = {
        f: getattr(agreement, f)
        for f in ("starts_on", "ends_on", "reward_kind", "fixed_amount", "share_percent", "tiers")
    }
    _check_agreement({**merged, **data})
    return core.object_update(obj=agreement, actor=actor, data=data, version=version)


def agreement_delete(*, actor, agreement: Agreement, version: int | None = None) -> None:
    core.object_delete(obj=agreement, actor=actor, version=version)


def agreement_restore(*, actor, pk: int) -> Agreement:
    return core.object_restore(model=Agreement, actor=actor, pk=pk)


def referral_register(
    *,
    actor,
    agreement: Agreement | None = None,
    referrer=None,
    lead_data: dict[str, Any],
    phone: str = "",
    on: date | None = None,
):
    """A referral: a lead registered with its referrer recorded — an intermediary under an agreement (channel
    中介机构) or a local enterprise (以商引商)."""
    if (agreement is None) == (referrer is None):
        raise ValidationFailed("请选择委托协议或引荐企业之一")
    data = dict(lead_data)
    with transaction.atomic():
        if agreement is not None:
            data.setdefault("source", "agency")
            data.setdefault("source_detail", agreement.intermediary.name)
            lead = lead_services.lead_register(actor=actor, data=data, phone=phone, on=on)
            source_link(
                actor=actor,
                lead=lead,
                kind=LeadSource.Kind.INTERMEDIARY,
                intermediary=agreement.intermediary,
                agreement=agreement,
            )
        else:
            data.setdefault("source", "referral")
            data.setdefault("source_detail", referrer.name)
            lead = lead_services.lead_register(actor=actor, data=data, phone=phone, on=on)
            source_link(actor=actor, lead=lead, kind=LeadSource.Kind.REFERRER, referrer=referrer)
    return lead


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reward_due(
    agreement: Agreement, progress: dict, fdi: tuple[date, Decimal] | None
) -> tuple[date, Decimal, str] | None:
    """(condition met on, amount in 万元, basis) when the referred lead's project meets the agreement's condition
    within its term, else None. The agreement's own rule (the policy engine's formulas replace it when that app
    exists)."""
    condition = agreement.condition
    if condition == Agreement.Condition.SIGNED:
        met_on = progress.get("project__signed_actual")
    elif condition == Agreement.Condition.STARTED:
        met_on = progress.get("project__construction_start_actual")
    else:
        met_on = fdi[0] if fdi else None
    if met_on is None:
        return None
    if agreement.within_months and met_on > add_months(progress["registered_on"], agreement.within_months):
        return None
    arrived = fdi[1] if fdi else Decimal(0)
    investment = progress.get("project__total_investment") or Decimal(0)
    if agreement.reward_kind == Agreement.RewardKind.FIXED:
        amount, basis = agreement.fixed_amount or Decimal(0), f"固定奖励 {agreement.fixed_amount} 万元/项目"
    elif agreement.reward_kind == Agreement.RewardKind.SHARE:
        amount = investment * (agreement.share_percent or 0) / 100
        basis = f"项目总投资 {investment} 万元 × {agreement.share_percent}%"
    else:
        amount, basis = Decimal(0), f"实际到资 {arrived} 万美元，未达最低档"
        for floor, value in sorted(agreement.tiers, key=lambda t: Decimal(str(t[0]))):
            if arrived >= Decimal(str(floor)):
                amount, basis = Decimal(str(value)), f"实际到资 {arrived} 万美元 ≥ {floor} 万美元档"
    label = dict(Agreement.Condition.choices)[condition]
    return met_on, amount.quantize(CENT, ROUND_HALF_UP), f"{label}于 {met_on:%Y-%m-%d}；{basis}"


def rewards_refresh(*, agreement: Agreement, actor=None) -> list[Reward]:
    """Create the reward items the agreement's referrals have earned since the last look (idempotent: an item
    once created keeps its amount and status). Called on a project's stage close and from the agreement page."""
    lead_ids = list(LeadSource.objects.filter(agreement=agreement).values_list("lead_id", flat=True))
    known = set(Reward.objects.filter(agreement=agreement).values_list("lead_id", flat=True))
    progress = lead_selectors.lead_progress_of([i for i in lead_ids if i not in known])
    projects = [p["project_id"] for p in progress.values() if p["project_id"]]
    fdi = (
        stats_selectors.fdi_arrived_by_project(region_id=agreement.region_id, project_ids=projects) if projects else {}
    )
    created = []
    with transaction.atomic():
        for lead_id, row in progress.items():
            if not row["project_id"]:
                continue
            due = reward_due(agreement, row, fdi.get(row["project_id"]))
            if due is None:
                continue
            reward = Reward.objects.create(
                agreement=agreement,
                lead_id=lead_id,
                project_id=row["project_id"],
                condition_met_on=due[0],
                amount=due[1],
                basis=due[2][:300],
            )
            log_row(actor, reward, None, ObjectChange.Action.CREATE)
            created.append(reward)
    return created


def reward_decide(*, actor, reward: Reward, status: str, on: date | None = None) -> Reward:
    """Approve, reject or mark paid (the center or a leader): 待审批 → 已审批/不予奖励, 已审批 → 已支付."""
    require_center(actor)
    allowed = {
        Reward.Status.DUE: {Reward.Status.APPROVED, Reward.Status.REJECTED},
        Reward.Status.APPROVED: {Reward.Status.PAID},
    }
    on = on or timezone.localdate()
    with transaction.atomic():
        current = (
            Reward.objects.select_for_update()
            .filter(pk=reward.pk, agreement__region_id=actor.org_unit.region_id)
            .first()
        )
        if current is None:
            raise NotFound()
        if status not in allowed.get(current.status, set()):
            raise ValidationFailed(f"奖励当前为「{current.get_status_display()}」，不能改为该状态")
        before = snapshot(current)
        current.status = status
        if status == Reward.Status.PAID:
            current.paid_on = on
        else:
            current.approved_by, current.approved_on = actor, on
        current.save()
        log_row(actor, current, before)
    return current


def rewards_for_project_stage(project, stage_code: str) -> None:
    """Receiver of projects' stage_closed: the referral's agreement may now owe a reward."""
    if stage_code not in ("signing", "start"):
        return
    lead_id = getattr(getattr(project, "lead", None), "pk", None)
    link = LeadSource.objects.filter(lead_id=lead_id, agreement__isnull=False).select_related("agreement").first()
    if link is not None:
        transaction.on_commit(lambda: rewards_refresh(agreement=link.agreement))
