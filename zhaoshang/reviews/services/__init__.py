"""Writes to the reviews app's tables, one module a concern; callers use the package.

- ``experts``: the 专家库 (``Expert``, ``ExpertEmployment``, ``ExpertRelation``, ``ResearchOrg``) and the 顾问团
  (``AdviserGroup``, ``AdviserMembership``, ``OpinionRequest``, ``Opinion``);
- ``rubrics``: sheets and versions (``Rubric``, ``RubricVersion``), the project's objective indicators
  (``sheets``: the two starting sheets);
- ``drawing``: the pure draw and the conflict rules (reads only);
- ``reviews``: request and draw (``Review``, ``ReviewAssignment``, ``Exclusion``), confirm/decline, 承诺书;
- ``scoring``: sheets (``Score``), locking and reopening, aggregation;
- ``decisions``: the decision (``Decision``) and the lifecycle it drives.
"""

from .decisions import decision_record
from .drawing import draw_order, matching_pool
from .experts import (
    adviser_group_create,
    adviser_group_update,
    adviser_member_add,
    adviser_member_remove,
    employment_add,
    expert_create,
    expert_delete,
    expert_restore,
    expert_reveal_phone,
    expert_update,
    opinion_give,
    opinion_request,
    relation_add,
    research_org_create,
    research_org_update,
)
from .reviews import (
    COMMITMENT,
    assignment_respond,
    chair_or_leader,
    commitment_sign,
    meeting_respond,
    redraw_matches,
    review_create,
    review_delete,
    review_restore,
    review_update,
)
from .rubrics import ensure_starting_rubrics, rubric_create, rubric_set_active, rubric_version_add
from .scoring import aggregate, scores_reopen, scores_submit

__all__ = [
    "COMMITMENT",
    "adviser_group_create",
    "adviser_group_update",
    "adviser_member_add",
    "adviser_member_remove",
    "aggregate",
    "assignment_respond",
    "chair_or_leader",
    "commitment_sign",
    "decision_record",
    "draw_order",
    "employment_add",
    "ensure_starting_rubrics",
    "expert_create",
    "expert_delete",
    "expert_restore",
    "expert_reveal_phone",
    "expert_update",
    "matching_pool",
    "meeting_respond",
    "opinion_give",
    "opinion_request",
    "redraw_matches",
    "relation_add",
    "research_org_create",
    "research_org_update",
    "review_create",
    "review_delete",
    "review_restore",
    "review_update",
    "rubric_create",
    "rubric_set_active",
    "rubric_version_add",
    "scores_reopen",
    "scores_submit",
]
