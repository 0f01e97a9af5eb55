"""Lead configuration writes go through services: atomic, and each leaves a change-log row."""

from django.contrib.contenttypes.models import ContentType

from zhaoshang.core.models import ObjectChange
from zhaoshang.leads import services
from zhaoshang.leads.models import AssignmentRule, LeadRules


def _actions(model):
    changes = ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(model)).order_by("id")
    return [c.action for c in changes]


def test_lead_rules_and_assignment_rules_are_logged(users, county):
    admin = users["sysadmin"]
    services.lead_rules_update(actor=admin, region=county.root, data={"protect_days": 120})
    assert LeadRules.objects.get(region=county.root).protect_days == 120
    rule = services.assignment_rule_create(
        actor=admin,
        region=county.root,
        data={"order": 1, "source_unit": county.office_sh, "assign_unit": county.diankou, "is_active": True},
    )
    assert rule.region == county.root
    assert services.assignment_rule_delete(actor=admin, region=county.root, rule_id=rule.pk) is True
    assert services.assignment_rule_delete(actor=admin, region=county.root, rule_id=rule.pk) is False
    assert not AssignmentRule.objects.exists()
    assert _actions(LeadRules) == ["update"]
    assert _actions(AssignmentRule) == ["create", "delete"]
