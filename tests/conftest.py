import pytest
from django.test import Client

from zhaoshang.accounts.services import api_token_issue
from zhaoshang.core import audit_triggers

from .factories import make_county, make_user


@pytest.fixture(autouse=True)
def _audit_triggers_allow_flush(request):
    """Transactional tests end with a flush (DELETE of every row); the append-only triggers would
    refuse it, so they are lifted for that teardown only and put back before the next test."""
    if not ({"transactional_db", "live_server"} & set(request.fixturenames)):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    audit_triggers.install(connection)
    yield
    audit_triggers.uninstall(connection)


@pytest.fixture
def county(db):
    return make_county()


@pytest.fixture
def other_county(db):
    return make_county("示例县", prefix="sl")


@pytest.fixture
def users(county):
    """One user per role, in the units the demo uses."""
    return {
        "sysadmin": make_user("sysadmin", "sysadmin", county.center),
        "secadmin": make_user("secadmin", "secadmin", county.center),
        "auditor": make_user("auditor", "auditor", county.center),
        "leader": make_user("leader", "leader", county.root),
        "center": make_user("center", "officer", county.center),
        "diankou": make_user("diankou", "officer", county.diankou),
        "datang": make_user("datang", "officer", county.datang),
        "office_sh": make_user("office_sh", "officer", county.office_sh),
        "zrzy": make_user("zrzy", "department", county.zrzy),
        "expert1": make_user("expert1", "expert", county.center),
    }


@pytest.fixture
def client_for():
    def _client(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _client


@pytest.fixture
def api_for():
    """A client that authenticates every request with a fresh bearer token of ``user``."""

    def _client(user) -> Client:
        token, _ = api_token_issue(user=user)
        return Client(headers={"Authorization": f"Bearer {token}"})

    return _client
