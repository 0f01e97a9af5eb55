import pytest

from tests.factories import make_user
from zhaoshang.core.roles import Role


@pytest.fixture
def role_users(users, county):
    """One user per role of ``core.roles.Role`` (a role added later gets a user here automatically)."""
    chosen = {}
    for role in Role.values:
        chosen[role] = next((u for u in users.values() if u.role == role), None) or make_user(
            f"role-{role}", role, county.center
        )
    # the officer probed is a town's (diankou), the usual case of data scope
    chosen[Role.OFFICER] = users["diankou"]
    return chosen
