"""Role × API-operation matrix generated from the OpenAPI schema (see ``api_matrix.py``)."""

import pytest

from tests.base import ContractBase
from tests.core.test_contract import contract_classes
from zhaoshang.core.roles import Role

from . import api_matrix

# Findings accepted for now, each with the reason it is not a defect; empty: every finding fails the run.
KNOWN: set[tuple[str, str]] = set()


@pytest.fixture(scope="module")
def module_records(module_db, module_role_users) -> dict[str, int]:
    """One record of the 店口镇 officer per model with an API, keyed by its collection's path; built once for
    the module (``module_db``: each test runs in a savepoint rolled back after it)."""
    made = {}
    with module_db.unblock():
        for cls in contract_classes():
            if cls.api_path and issubclass(cls, ContractBase):
                made[cls.api_path] = cls().make(module_role_users[Role.OFFICER], 1).pk
    return made


@pytest.fixture
def role_users(module_role_users, db):
    return module_role_users


@pytest.fixture
def records(module_records, db) -> dict[str, int]:
    return module_records


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
    """An operation that loses both its capability check and its scope is found: the enterprise list then
    answers the auditor data. With only the check lost, the scope still answers an empty list."""
    from zhaoshang.api import capabilities
    from zhaoshang.core.scope import RestrictedQuerySet

    op = next(o for o in api_matrix.operations() if o["id"] == "zhaoshang_api_lists_enterprise_list")
    auditor = role_users[Role.AUDITOR]
    assert api_matrix.probe(op, auditor, records) == []
    monkeypatch.setattr(capabilities, "_refusal", lambda operation, request: None)
    assert api_matrix.probe(op, auditor, records) == []  # the scope still holds: an empty list
    monkeypatch.setattr(RestrictedQuerySet, "restrict", lambda self, user, action="view": self)
    [problem] = api_matrix.probe(op, auditor, records)
    assert "200, expected 403, 404 or an empty list" in problem
