"""The county's project configuration (系统管理): stages with their checklists, and the warning rules.
The one module that writes ``Stage``, ``ChecklistItem`` and ``WarningRules``; every change made by an
administrator is atomic and leaves a change-log row."""

from typing import Any

from django.db import transaction

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core import services as core
from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import NotFound
from zhaoshang.core.models import ObjectChange

from ..models import ChecklistItem, Stage, WarningRules
from ..stages import DEFAULT_STAGES, find_unit


@transaction.atomic
def ensure_default_stages(region: OrgUnit) -> list[Stage]:
    """The county's stages, creating the defaults (and default warning rules) if it has none."""
    WarningRules.objects.get_or_create(region=region)
    existing = list(Stage.objects.filter(region=region, is_active=True).order_by("order"))
    if existing or Stage.objects.filter(region=region).exists():
        return existing
    stages = []
    for order, (code, name, owner, limit, unit, completes, required, advancer, items) in enumerate(DEFAULT_STAGES, 1):
        stage = Stage.objects.create(
            region=region,
            order=order,
            code=code,
            name=name,
            owner_unit=find_unit(region, owner),
            time_limit=limit,
            limit_unit=unit,
            completes_date=completes,
            required_fields=required,
            advancer=advancer,
        )
        for item_order, (title, item_owner) in enumerate(items, 1):
            ChecklistItem.objects.create(
                stage=stage, order=item_order, title=title, owner_unit=find_unit(region, item_owner)
            )
        stages.append(stage)
    return stages


def rules_for(region_id: int) -> WarningRules:
    rules, _ = WarningRules.objects.get_or_create(region_id=region_id)
    return rules


def stage_update(
    *, actor, stage_id: int, region: OrgUnit, data: dict[str, Any], checklist: list[tuple[str, OrgUnit | None, bool]]
) -> Stage:
    """Change one of the county's stages and replace its checklist (``(title, owner unit, required)`` per
    item, in order). Projects already in the stage keep the checklist they were given."""
    with transaction.atomic():
        stage = Stage.objects.select_for_update().filter(pk=stage_id, region=region).first()
        if stage is None:
            raise NotFound()
        before = snapshot(stage)
        for name, value in data.items():
            setattr(stage, name, value)
        stage.save()
        stage.checklist.all().delete()
        for order, (title, unit, required) in enumerate(checklist, 1):
            ChecklistItem.objects.create(stage=stage, order=order, title=title, owner_unit=unit, required=required)
        log_change(
            actor=actor,
            obj=stage,
            action=ObjectChange.Action.UPDATE,
            before=before,
            after={**snapshot(stage), "checklist": [title for title, _, _ in checklist]},
        )
    return stage


def warning_rules_update(*, actor, region: OrgUnit, data: dict[str, Any]) -> WarningRules:
    """Change the county's warning rules (they apply from the next computation of the lights)."""
    return core.config_update(actor=actor, obj=rules_for(region.pk), data=data)
