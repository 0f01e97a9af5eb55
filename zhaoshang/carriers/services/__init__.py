"""Writes of the 载体库: the only modules that write the carriers tables (tests/core/test_lint_writers.py)."""

from .carriers import (
    boundaries_import,
    carrier_create,
    carrier_delete,
    carrier_restore,
    carrier_reveal_phone,
    carrier_set_boundary,
    carrier_set_status,
    carrier_update,
    indicator_values_set,
)
from .reservations import reservation_approve, reservation_release, reservation_request, reservations_expire

__all__ = [
    "carrier_create",
    "carrier_delete",
    "carrier_restore",
    "carrier_reveal_phone",
    "carrier_set_boundary",
    "boundaries_import",
    "carrier_set_status",
    "carrier_update",
    "indicator_values_set",
    "reservation_approve",
    "reservation_release",
    "reservation_request",
    "reservations_expire",
]
