"""Writes to the policy library (the only writers of the app's tables). One module a concern:
- ``policies``: policies and their full-text attachment (``Policy``);
- ``clauses``: clauses, worked examples, publishing and versions (``Clause``, ``ClauseVersion``);
- ``variables``: the county's variable catalogue (``Variable``);
- ``calculations``: saved 政策测算 (``Calculation``);
- ``commitments``: agreed terms, due checks, 兑现 and 追回 items (``Commitment``, ``Fulfilment``).
"""

from .calculations import calculation_delete, calculation_restore, calculation_save, calculation_update
from .clauses import clause_create, clause_delete, clause_publish, clause_restore, clause_update, clause_withdraw
from .commitments import (
    commitment_check,
    commitment_create,
    commitment_delete,
    commitment_update,
    commitments_due,
    fulfilment_advance,
    fulfilment_delete,
    fulfilment_update,
)
from .policies import policy_attach, policy_create, policy_delete, policy_restore, policy_update
from .variables import ensure_default_variables, may_manage_catalogue, variable_create, variable_update

__all__ = [
    "calculation_delete",
    "calculation_restore",
    "calculation_save",
    "calculation_update",
    "clause_create",
    "clause_delete",
    "clause_publish",
    "clause_restore",
    "clause_update",
    "clause_withdraw",
    "commitment_check",
    "commitment_create",
    "commitment_delete",
    "commitment_update",
    "commitments_due",
    "ensure_default_variables",
    "fulfilment_advance",
    "fulfilment_delete",
    "fulfilment_update",
    "may_manage_catalogue",
    "policy_attach",
    "policy_create",
    "policy_delete",
    "policy_restore",
    "policy_update",
    "variable_create",
    "variable_update",
]
