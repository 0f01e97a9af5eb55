import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from zhaoshang.core import audit_triggers
from zhaoshang.core.audit import security_event, verify_chain
from zhaoshang.core.models import ObjectChange, SecurityEvent
from zhaoshang.core.models.audit import GENESIS_HASH


@pytest.fixture
def events(users):
    return [security_event(SecurityEvent.Kind.LOGIN, user=users["center"]) for _ in range(4)]


def test_rows_are_chained_by_sm3(events):
    assert events[0].prev_hash == GENESIS_HASH
    for previous, row in zip(events, events[1:], strict=False):
        assert row.prev_hash == previous.hash
    assert all(len(e.hash) == 64 for e in events)
    assert verify_chain(SecurityEvent).ok
    assert verify_chain(SecurityEvent).rows == 4


def test_orm_refuses_to_update_or_delete(events):
    with pytest.raises(RuntimeError):
        events[1].save()
    with pytest.raises(RuntimeError):
        events[1].delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_securityevent SET username = 'mallory'",
        "DELETE FROM core_securityevent",
        "UPDATE core_objectchange SET object_repr = 'x'",
        "DELETE FROM core_objectchange",
    ],
)
def test_database_trigger_refuses_update_and_delete(users, events, statement):
    from tests.testapp.models import Dossier
    from zhaoshang.core.services import object_create

    object_create(model=Dossier, actor=users["center"], data={"name": "档案"})
    assert ObjectChange.objects.count() == 1
    before = (
        list(SecurityEvent.objects.values_list("id", "username", "hash")),
        list(ObjectChange.objects.values_list("id", "object_repr", "hash")),
    )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    after = (
        list(SecurityEvent.objects.values_list("id", "username", "hash")),
        list(ObjectChange.objects.values_list("id", "object_repr", "hash")),
    )
    assert after == before


def _tamper(sql: str, params: list) -> None:
    """Edit a row as an attacker with database access would: drop the trigger first. The test's
    transaction puts everything back afterwards."""
    audit_triggers.uninstall(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_detects_an_edited_row(events, capsys):
    _tamper("UPDATE core_securityevent SET username = %s WHERE id = %s", ["mallory", events[2].pk])
    report = verify_chain(SecurityEvent)
    assert report.broken_id == events[2].pk
    assert "篡改" in report.reason
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert f"第 {events[2].pk} 号记录处断开" in capsys.readouterr().out


def test_verify_detects_a_removed_row(events):
    _tamper("DELETE FROM core_securityevent WHERE id = %s", [events[1].pk])
    report = verify_chain(SecurityEvent)
    assert report.broken_id == events[2].pk
    assert "衔接" in report.reason


def test_verify_command_passes_on_an_intact_chain(events, capsys):
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "安全审计事件：4 条，哈希链完整" in out
