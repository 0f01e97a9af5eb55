"""协议约定的政策 and 兑现: the terms agreed in a signed project, each checked when it falls due (at a lifecycle
stage — 签约, 达产 … — or on a date) against the project's figures; a met term opens a 兑现 item for the paying
department with a working-day deadline, an unmet one is recorded with the reasons and, when the project has
already been paid under the clause, opens a 追回 item for that amount. The paying department records
application, review, payment or refusal (with the reason)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhaoshang.core import services
from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.roles import Cap
from zhaoshang.core.workdays import add_workdays
from zhaoshang.notify import services as notify

from .. import catalogue as variables
from ..engine import conditions
from ..models import Clause, Commitment, Fulfilment
from .variables import catalogue_for

STAGES = {"signing": "签约", "production": "投产", "full_production": "达产"}
# status → the statuses it may move to, and the date field it stamps
FLOW = {
    Fulfilment.Status.OPEN: {Fulfilment.Status.APPLIED, Fulfilment.Status.REFUSED, Fulfilment.Status.RECOVERED},
    Fulfilment.Status.APPLIED: {Fulfilment.Status.REVIEWED, Fulfilment.Status.REFUSED},
    Fulfilment.Status.REVIEWED: {Fulfilment.Status.PAID, Fulfilment.Status.REFUSED},
}
STAMP = {
    Fulfilment.Status.APPLIED: "applied_on",
    Fulfilment.Status.REVIEWED: "reviewed_on",
    Fulfilment.Status.PAID: "paid_on",
    Fulfilment.Status.RECOVERED: "paid_on",
}


def payout_workdays() -> int:
    return getattr(settings, "POLICY_PAYOUT_WORKDAYS", 20)


def commitment_create(*, actor, project, clause: Clause, data: dict) -> Commitment:
    """Record an agreed term of ``project`` (read by the caller through the projects' selectors in the actor's
    change scope). ``data``: amount, condition (JSON Logic over the catalogue), condition_text, due_stage, due_on."""
    data = dict(data)
    if clause.region_id != project.region_id or clause.status != Clause.Status.PUBLISHED:
        raise ValidationFailed(fields={"clause": ["请选择本县已发布的条款"]})
    data["condition"] = conditions.validate(data.get("condition") or {}, catalogue_for(project.region_id))
    stage = data.get("due_stage") or ""
    if stage and stage not in STAGES:
        raise ValidationFailed(fields={"due_stage": [f"到期阶段须为：{'、'.join(STAGES.values())}"]})
    if not stage and not data.get("due_on"):
        raise ValidationFailed(fields={"due_on": ["请填写到期阶段或到期日期"]})
    data.update(project=project, clause=clause, clause_version=clause.current_version, org_unit=project.org_unit)
    return services.object_create(model=Commitment, actor=actor, data=data)


def commitment_update(*, actor, commitment: Commitment, data: dict, version: int) -> Commitment:
    data = {k: v for k, v in data.items() if k in ("amount", "condition", "condition_text", "due_stage", "due_on")}
    if "condition" in data:
        data["condition"] = conditions.validate(data["condition"] or {}, catalogue_for(commitment.region_id))
    return services.object_update(obj=commitment, actor=actor, data=data, version=version)


def commitment_delete(*, actor, commitment: Commitment, version: int | None = None) -> None:
    services.object_delete(obj=commitment, actor=actor, version=version)


def _paying_unit(commitment: Commitment):
    clause = commitment.clause
    return clause.paying_department or clause.policy.department or commitment.org_unit


def _open_item(
    commitment: Commitment, *, kind: str, amount: Decimal, on: datetime.date, actor, note: str
) -> Fulfilment:
    unit = _paying_unit(commitment)
    word = "兑现" if kind == Fulfilment.Kind.PAYOUT else "追回"
    item = Fulfilment.objects.create(
        commitment=commitment,
        kind=kind,
        title=f"{commitment.project.name}：{commitment.clause.title}{word}",
        amount=amount,
        year=on.year,
        opened_on=on,
        due_on=add_workdays(on, payout_workdays()),
        reason=note,
        org_unit=unit,
        region_id=commitment.region_id,
        created_by=actor,
        updated_by=actor,
    )
    services.log_change(actor=actor, obj=item, action="create", before=None, after=services.snapshot(item))
    transaction.on_commit(
        lambda: notify.notify_unit(
            unit,
            title=f"新的政策{word}事项：{item.title}",
            body=f"金额 {amount} 万元，请在 {item.due_on:%Y-%m-%d} 前办理",
            url=item_url(item),
        )
    )
    return item


def item_url(item: Fulfilment) -> str:
    from django.urls import reverse  # lazy: services are imported before the URLconf is loaded

    return reverse("policies:fulfilment_detail", args=[item.pk])


def commitment_check(*, actor, commitment: Commitment, on: datetime.date | None = None) -> Commitment:
    """Check a due term against the project's figures: met → a 兑现 item; unmet → the reasons, and a 追回 item
    for what the project was already paid under the clause."""
    on = on or timezone.localdate()
    with transaction.atomic():
        current = (
            Commitment.objects.select_for_update().select_related("project", "clause__policy").get(pk=commitment.pk)
        )
        if current.status not in (Commitment.Status.PENDING, Commitment.Status.DUE):
            return current
        project = current.project
        values = variables.project_values(project, [])
        parts = conditions.evaluate(current.condition, catalogue_for(project.region_id), values)
        met = all(part.met for part in parts)
        before = services.snapshot(current)
        current.status = Commitment.Status.MET if met else Commitment.Status.UNMET
        current.checked_on = on
        current.check_result = [{"text": p.text, "met": p.met, "actual": p.actual} for p in parts]
        current.version += 1
        current.save()
        services.log_change(actor=actor, obj=current, action="update", before=before, after=services.snapshot(current))
        if met:
            _open_item(
                current, kind=Fulfilment.Kind.PAYOUT, amount=current.amount or Decimal("0"), on=on, actor=actor, note=""
            )
        else:
            reasons = "；".join(f"{p.text}（实际 {p.actual}）" for p in parts if not p.met)
            paid = sum(
                Fulfilment.objects.filter(
                    commitment__project_id=project.pk,
                    commitment__clause_id=current.clause_id,
                    kind=Fulfilment.Kind.PAYOUT,
                    status=Fulfilment.Status.PAID,
                ).values_list("amount", flat=True),
                Decimal("0"),
            )
            if paid:
                _open_item(
                    current, kind=Fulfilment.Kind.CLAWBACK, amount=paid, on=on, actor=actor, note=f"未达约定：{reasons}"
                )
    return current


def commitments_due(*, actor, project, stage_code: str = "", on: datetime.date | None = None) -> list[Commitment]:
    """Check the project's terms that fall due at ``stage_code`` (a stage closed) or by ``on`` (the daily run)."""
    on = on or timezone.localdate()
    pending = Commitment.objects.filter(project_id=project.pk, status=Commitment.Status.PENDING)
    pending = pending.filter(due_stage=stage_code) if stage_code else pending.filter(due_on__lte=on, due_stage="")
    return [commitment_check(actor=actor, commitment=c, on=on) for c in pending]


def fulfilment_advance(
    *, actor, item: Fulfilment, to: str, version: int, reason: str = "", on: datetime.date | None = None
) -> Fulfilment:
    """Record application, review, payment, recovery or refusal (refusal needs the reason)."""
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    on = on or timezone.localdate()
    allowed = FLOW.get(item.status, set())
    if item.kind == Fulfilment.Kind.CLAWBACK:
        allowed = (
            {Fulfilment.Status.RECOVERED, Fulfilment.Status.REFUSED} if item.status == Fulfilment.Status.OPEN else set()
        )
    elif to == Fulfilment.Status.RECOVERED:
        allowed = set()
    if to not in allowed:
        raise ValidationFailed(
            f"当前状态“{item.get_status_display()}”不能办理为“{dict(Fulfilment.Status.choices).get(to, to)}”"
        )
    reason = (reason or "").strip()
    if to == Fulfilment.Status.REFUSED and not reason:
        raise ValidationFailed(fields={"reason": ["不予兑现须说明理由"]})
    data = {"status": to}
    if to in STAMP:
        data[STAMP[to]] = on
    if reason:
        data["reason"] = reason
    return services.object_update(obj=item, actor=actor, data=data, version=version)


def fulfilment_update(*, actor, item: Fulfilment, data: dict, version: int) -> Fulfilment:
    data = {k: v for k, v in data.items() if k in ("title", "amount", "due_on", "reason")}
    return services.object_update(obj=item, actor=actor, data=data, version=version)


def fulfilment_delete(*, actor, item: Fulfilment, version: int | None = None) -> None:
    services.object_delete(obj=item, actor=actor, version=version)


def commitments_due_all(on: datetime.date | None = None) -> int:
    """The daily run: every pending term with a due date on or before ``on``, checked by the system."""
    on = on or timezone.localdate()
    checked = 0
    for commitment in Commitment.objects.filter(status=Commitment.Status.PENDING, due_stage="", due_on__lte=on):
        commitment_check(actor=None, commitment=commitment, on=on)
        checked += 1
    return checked
