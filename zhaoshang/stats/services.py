"""Writes: FDI records, targets and report jobs."""

from decimal import Decimal
from typing import Any

from django.db import transaction

from zhaoshang.core import services as core
from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import coordinates
from zhaoshang.projects import selectors as project_selectors

from .models import FDIRecord, ReportJob, Target
from .tasks import generate_report


def record_create(*, actor, enterprise, data: dict[str, Any]) -> FDIRecord:
    data = dict(data)
    if not data.get("amount"):
        if data.get("rmb_amount") and data.get("rate"):
            data["amount"] = (Decimal(data["rmb_amount"]) / Decimal(data["rate"])).quantize(Decimal("0.01"))
        else:
            raise ValidationFailed(fields={"amount": ["请填写金额（万美元），或人民币金额与汇率"]})
    project_id = data.pop("project_id", None)
    if project_id:
        data["project"] = project_selectors.visible_project(user=actor, pk=project_id)
        if data["project"] is None:
            raise ValidationFailed(fields={"project_id": ["项目不存在或不在您的数据范围内"]})
    data.setdefault("country", enterprise.country)
    data.setdefault(
        "org_unit",
        enterprise.org_unit
        if enterprise.org_unit_id in actor.org_unit.subtree_ids() or coordinates(actor)
        else actor.org_unit,
    )
    return core.object_create(model=FDIRecord, actor=actor, data={**data, "enterprise": enterprise})


def target_set(*, actor, org_unit, year: int, metric: str, value: Decimal) -> Target:
    """Targets are set by the center (officers of the 中心) or leaders, for units of their county."""
    if not (
        actor.has_capability(Cap.SET_TARGETS)
        or (actor.has_capability(Cap.BUSINESS_CHANGE) and actor.org_unit.kind == "center")
    ):
        raise PermissionDenied("年度目标由投促中心或领导设定")
    if org_unit.region_id != actor.org_unit.region_id:
        raise ValidationFailed(fields={"org_unit": ["请选择本地区的单位"]})
    value = Decimal(value).quantize(Decimal("0.01"))  # as stored: an unchanged value compares equal
    with transaction.atomic():
        existing = Target.objects.select_for_update().filter(org_unit=org_unit, year=year, metric=metric).first()
        before = snapshot(existing) if existing is not None else None
        target, _ = Target.objects.update_or_create(
            org_unit=org_unit, year=year, metric=metric, defaults={"value": value, "region_id": org_unit.region_id}
        )
        after = snapshot(target)
        if before != after:  # every configuration write leaves a change-log row (SECURITY.md item 7)
            action = ObjectChange.Action.CREATE if before is None else ObjectChange.Action.UPDATE
            log_change(actor=actor, obj=target, action=action, before=before, after=after)
    return target


def report_request(*, actor, kind: str, year: int, month: int) -> ReportJob:
    if kind not in ReportJob.Kind.values:
        raise ValidationFailed(fields={"kind": ["报表类型无效"]})
    if not 1 <= month <= 12:
        raise ValidationFailed(fields={"month": ["月份应在 1 到 12 之间"]})
    if not actor.has_capability(Cap.BUSINESS_VIEW) or actor.org_unit_id is None:
        raise PermissionDenied()
    with transaction.atomic():
        job = ReportJob.objects.create(kind=kind, year=year, month=month, created_by=actor)
        transaction.on_commit(lambda: generate_report.enqueue(job.pk))
    return job
