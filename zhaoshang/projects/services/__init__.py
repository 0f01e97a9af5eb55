"""Writes to projects: create, edit, advance through stages (relay handoffs), checklists, problems,
follow-ups, warnings and the county's configuration. Every function is atomic, checks scope and
permission, writes the change log for record changes and a ``ProjectEvent`` in business words, and
notifies the unit that must act.

``on`` (a date) lets the demo data and imports record history; pages and the API use today.

One module a concern; callers use the package (``from zhaoshang.projects import services``):
- ``lifecycle``: create, edit, delete, advance (``Project``, ``ProjectStage``, ``ChecklistEntry``);
- ``termination``: ending the lifecycle early (研判 不予引进);
- ``checklist``: ticks by the item's unit (or a leader with a reason) and attachments (``ChecklistAttachment``);
- ``stage_fields``: the data the open stage requires, filled by its owner department;
- ``problems``: problems (``Problem``, ``ProblemComment``);
- ``oversight``: 督办 introduced by hand (``Supervision``) and 领导批示 (``Instruction``, ``InstructionReply``);
- ``followups``: follow-ups (``FollowUp``);
- ``warning_engine``: lights and escalation, for one project or the nightly run;
- ``events``: the timeline (``ProjectEvent``), the only writer of it;
- ``config``: stages, checklists and warning rules (``Stage``, ``ChecklistItem``, ``WarningRules``).
"""

from .checklist import (
    checklist_add,
    checklist_attach,
    checklist_complete_on_record,
    checklist_set,
    is_entry_owner,
    may_overrule,
)
from .config import ensure_default_stages, rules_for, stage_update, warning_rules_update
from .events import EventKind, event, events_copy, events_insert
from .followups import followup_add, followups_copy
from .lifecycle import (
    PROJECT_FIELDS,
    may_advance,
    missing_to_leave,
    project_advance,
    project_create,
    project_delete,
    project_update,
)
from .oversight import (
    instruction_issue,
    instruction_reply,
    may_instruct,
    may_supervise,
    open_supervision,
    pending_units,
    supervision_lift,
    supervision_raise,
)
from .problems import problem_comment, problem_raise, problem_resolve
from .stage_fields import may_fill_stage_fields, project_fill_stage_fields, stage_field_names, who_fills
from .termination import project_terminate
from .warning_engine import apply_verdict, open_run, open_runs_for, refresh_warning, warnings_recompute

__all__ = [
    "EventKind",
    "PROJECT_FIELDS",
    "apply_verdict",
    "checklist_add",
    "checklist_attach",
    "checklist_complete_on_record",
    "checklist_set",
    "instruction_issue",
    "instruction_reply",
    "is_entry_owner",
    "may_instruct",
    "may_supervise",
    "open_supervision",
    "pending_units",
    "supervision_lift",
    "supervision_raise",
    "may_fill_stage_fields",
    "may_overrule",
    "project_fill_stage_fields",
    "stage_field_names",
    "who_fills",
    "ensure_default_stages",
    "event",
    "events_copy",
    "events_insert",
    "followup_add",
    "followups_copy",
    "may_advance",
    "missing_to_leave",
    "open_run",
    "open_runs_for",
    "problem_comment",
    "problem_raise",
    "problem_resolve",
    "project_advance",
    "project_create",
    "project_delete",
    "project_terminate",
    "project_update",
    "refresh_warning",
    "rules_for",
    "stage_update",
    "warning_rules_update",
    "warnings_recompute",
]
