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
    _reload_reference_data()
    yield
    audit_triggers.uninstall(connection)


def _reload_reference_data() -> None:
    """A transactional test's flush also empties the tables the migrations filled; put them back."""
    from importlib import import_module

    from zhaoshang.core.models import Industry, Tag
    from zhaoshang.core.reference import load_industries

    if not Industry.objects.exists():
        load_industries(Industry)
    if not Tag.objects.exists():
        for order, (name, category) in enumerate(import_module("zhaoshang.core.migrations.0006_default_tags").TAGS, 1):
            Tag.objects.create(name=name, category=category, sort_order=order)


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
