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


# What the migrations filled in the reference tables, read at the first transactional test (rows as dicts).
_REFERENCE_ROWS: dict = {}


def _reload_reference_data() -> None:
    """A transactional test's flush also empties the tables the migrations filled; put them back.

    The first transactional test finds them as the migrations left them and keeps a copy of their rows; each
    later one puts the copy back with one INSERT per table (same ids as the migrations gave), where loading
    GB/T 4754 again saved 1,772 industries one by one, each its own commit (seconds per test on PostgreSQL)."""
    from importlib import import_module

    from django.core.management.color import no_style
    from django.db import connection, transaction

    from zhaoshang.core.models import Industry, Tag
    from zhaoshang.core.reference import load_industries

    with transaction.atomic():
        if not _REFERENCE_ROWS:
            if not Industry.objects.exists():
                load_industries(Industry)
            if not Tag.objects.exists():
                tags = import_module("zhaoshang.core.migrations.0006_default_tags").TAGS
                for order, (name, category) in enumerate(tags, 1):
                    Tag.objects.create(name=name, category=category, sort_order=order)
            _REFERENCE_ROWS[Industry] = list(Industry.objects.order_by("level", "pk").values())
            _REFERENCE_ROWS[Tag] = list(Tag.objects.order_by("pk").values())
            return
        restored = [model for model in _REFERENCE_ROWS if not model.objects.exists()]
        for model in restored:
            model.objects.bulk_create([model(**row) for row in _REFERENCE_ROWS[model]])
        with connection.cursor() as cursor:  # the next id after the restored ones (PostgreSQL sequences)
            for sql in connection.ops.sequence_reset_sql(no_style(), restored):
                cursor.execute(sql)


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
