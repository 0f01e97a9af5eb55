"""The region's lead rules and assignment rules (系统管理 → 线索规则)."""

from typing import Any

from django.db import transaction

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core import services as core
from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.models import ObjectChange

from ..models import AssignmentRule, LeadRules
from .common import rules_for


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
