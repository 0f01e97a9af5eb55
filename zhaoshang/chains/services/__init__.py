"""Writes of the chains app: the only module (package) that writes its tables."""

from .chains import (
    chain_import,
    chain_update,
    edge_add,
    edge_remove,
    load_reference_chains,
    node_create,
    node_delete,
    node_merge,
    node_move,
    node_update,
    read_reference,
    validate_chain_data,
)
from .common import chain_data, may_edit_chains
from .config import DEFAULT_WEIGHTS, settings_for, settings_update, weights_of
from .links import link_add, link_all, link_confirm, link_reject, link_rows, link_subject
from .relations import relation_create, relation_delete, relation_restore, relation_update
from .targets import default_unit, target_to_lead

__all__ = [
    "DEFAULT_WEIGHTS",
    "chain_data",
    "chain_import",
    "chain_update",
    "default_unit",
    "target_to_lead",
    "edge_add",
    "edge_remove",
    "link_add",
    "link_all",
    "link_confirm",
    "link_reject",
    "link_rows",
    "link_subject",
    "load_reference_chains",
    "may_edit_chains",
    "node_create",
    "node_delete",
    "node_merge",
    "node_move",
    "node_update",
    "read_reference",
    "relation_create",
    "relation_delete",
    "relation_restore",
    "relation_update",
    "settings_for",
    "settings_update",
    "validate_chain_data",
    "weights_of",
]
