"""Writes to leads: register (duplicate and 首谈保护 checks), assign, claim, follow up, assess, shelve,
merge and convert into a project. Atomic, scoped, change-logged, with lead events and notifications.

One package, one module per subject; callers use ``from zhaoshang.leads import services``.
"""

from .assignment import lead_assign, lead_auto_assign, lead_claim
from .clocks import clock_check, clock_reasons
from .common import EDITABLE, amount_rmb, event, rules_for
from .config import assignment_rule_create, assignment_rule_delete, lead_rules_update
from .conversion import lead_convert
from .handling import followup_add, lead_assess, lead_close, lead_reveal_phone
from .registration import LeadMatch, check_protection, lead_delete, lead_register, lead_update, matching_leads

__all__ = [
    "EDITABLE",
    "LeadMatch",
    "amount_rmb",
    "assignment_rule_create",
    "assignment_rule_delete",
    "check_protection",
    "clock_check",
    "clock_reasons",
    "event",
    "followup_add",
    "lead_assess",
    "lead_assign",
    "lead_auto_assign",
    "lead_claim",
    "lead_close",
    "lead_convert",
    "lead_delete",
    "lead_register",
    "lead_reveal_phone",
    "lead_rules_update",
    "lead_update",
    "matching_leads",
    "rules_for",
]
