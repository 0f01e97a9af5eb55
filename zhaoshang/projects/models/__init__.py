"""项目库 models: the lifecycle (stages, projects, checklists, problems, follow-ups, events) and the oversight
(督办, 批示). Import them from here."""

from .lifecycle import (
    KEY_DATES,
    ChecklistAttachment,
    ChecklistEntry,
    ChecklistItem,
    FollowUp,
    Problem,
    ProblemComment,
    Project,
    ProjectEvent,
    ProjectStage,
    Stage,
    WarningRules,
)
from .oversight import Instruction, InstructionReply, Supervision

__all__ = [
    "KEY_DATES",
    "Stage",
    "WarningRules",
    "ChecklistItem",
    "Project",
    "ProjectStage",
    "ChecklistEntry",
    "ChecklistAttachment",
    "Problem",
    "ProblemComment",
    "FollowUp",
    "ProjectEvent",
    "Supervision",
    "Instruction",
    "InstructionReply",
]
