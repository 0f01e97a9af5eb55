import pytest
from django.db import transaction

from tests.factories import make_county, make_user, make_users
from zhaoshang.core.roles import Role


def role_users_of(users, county) -> dict:
    """One user per role of ``core.roles.Role`` (a role added later gets a user here automatically)."""
    chosen = {}
    for role in Role.values:
        chosen[role] = next((u for u in users.values() if u.role == role), None) or make_user(
            f"role-{role}", role, county.center
        )
    # the officer probed is a town's (diankou), the usual case of data scope
    chosen[Role.OFFICER] = users["diankou"]
    return chosen


@pytest.fixture
def role_users(users, county):
    """One user per role of ``core.roles.Role`` (a role added later gets a user here automatically)."""
    return role_users_of(users, county)


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction around a whole module, rolled back after its last test: data that a module's tests only
    read is built once (module-scoped fixtures that ``unblock()`` the returned blocker), and each test's own
    transaction (pytest-django's ``db``) is a savepoint inside it, so what one test writes is undone before
    the next, exactly as when each test built the data itself. Not for transactional tests (a flush would
    empty the shared data)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # like Django's TestCase atomics: a durable block may nest in it
        outer.__enter__()
    yield django_db_blocker
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_role_users(module_db):
    """``role_users`` built once for a module (see ``module_db``); the tests run in a savepoint each."""
    with module_db.unblock():
        county = make_county()
        return role_users_of(make_users(county), county)
