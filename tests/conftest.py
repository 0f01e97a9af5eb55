import pytest
from django.test import Client

from zhaoshang.accounts.services import api_token_issue
from zhaoshang.core import audit_triggers

from .factories import make_county, make_users


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
    """A transactional test's flush also empties the tables the migrations filled; put them back.

    In one transaction: the 1,772 industries are saved one by one, and in autocommit each save would be a
    commit of its own (on PostgreSQL a WAL flush each, seconds per transactional test)."""
    from importlib import import_module

    from django.db import transaction

    from zhaoshang.core.models import Industry, Tag
    from zhaoshang.core.reference import load_industries

    with transaction.atomic():
        if not Industry.objects.exists():
            load_industries(Industry)
        if not Tag.objects.exists():
            tags = import_module("zhaoshang.core.migrations.0006_default_tags").TAGS
            for order, (name, category) in enumerate(tags, 1):
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
    return make_users(county)


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
