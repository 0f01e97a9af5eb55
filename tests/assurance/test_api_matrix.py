"""Role × API-operation matrix generated from the OpenAPI schema (see ``api_matrix.py``)."""

import pytest

from tests.base import ContractBase
from tests.core.test_contract import contract_classes
from zhaoshang.core.roles import Role

from . import api_matrix

_STATS = ("zhaoshang_stats_api_overview",)
# Findings of issue 19's defect 5 (non-business roles read business figures through the API), fixed on the
# branch wt-security: each must still be a finding here until that fix is merged (then delete its line).
KNOWN = {
    *((role, op) for role in ("sysadmin", "secadmin", "auditor", "expert") for op in _STATS),
    *((role, "zhaoshang_enterprises_api_enterprise_check") for role in ("sysadmin", "secadmin", "auditor")),
}


@pytest.fixture
def records(role_users) -> dict[str, int]:
    """One record of the 店口镇 officer per model with an API, keyed by its collection's path."""
    made = {}
    for cls in contract_classes():
        if cls.api_path and issubclass(cls, ContractBase):
            made[cls.api_path] = cls().make(role_users[Role.OFFICER], 1).pk
    return made


def test_every_operation_declares_its_capability():
    found = api_matrix.operations()
    assert len(found) > 40
    assert api_matrix.declaration_problems(found) == []


@pytest.mark.parametrize("role", [None, *Role.values])
def test_role_api_matrix(role, role_users, records):
    user = role_users[role] if role else None
    problems = {}
    for op in api_matrix.operations():
        found = api_matrix.probe(op, user, records)
        if found:
            problems[(role, op["id"])] = found
    still_known = {key for key in KNOWN if key[0] == role}
    unexpected = [line for key, lines in problems.items() if key not in KNOWN for line in lines]
    assert unexpected == [], "\n".join(unexpected)
    assert still_known <= set(problems), f"fixed, remove from KNOWN: {still_known - set(problems)}"


def test_generator_fails_when_an_operation_loses_its_check(role_users, records, monkeypatch):
    """An operation that stops restricting what a role without BUSINESS_VIEW reads is found: the enterprise
    list with the scope lifted answers the auditor data."""
    from zhaoshang.core.scope import RestrictedQuerySet

    op = next(o for o in api_matrix.operations() if o["id"] == "zhaoshang_api_lists_enterprise_list")
    auditor = role_users[Role.AUDITOR]
    assert api_matrix.probe(op, auditor, records) == []
    monkeypatch.setattr(RestrictedQuerySet, "restrict", lambda self, user, action="view": self)
    [problem] = api_matrix.probe(op, auditor, records)
    assert "200, expected 403, 404 or an empty list" in problem
