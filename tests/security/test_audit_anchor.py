"""Defect 8: the audit chains are anchored by signed checkpoints kept outside the database; verify-audit
reports removed tail rows; yearly targets and calendar edits write change-log rows."""

import datetime
import json
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhaoshang.core import audit_anchor, audit_triggers
from zhaoshang.core.audit import security_event, verify_all
from zhaoshang.core.models import ObjectChange, SecurityEvent
from zhaoshang.core.services import calendar_day_delete, calendar_day_set
from zhaoshang.stats import services as stats_services


@pytest.fixture(autouse=True)
def _fresh_log(tmp_path, settings):
    settings.ZHAOSHANG_AUDIT_CHECKPOINT_LOG = str(tmp_path / "audit" / "checkpoints.log")


@pytest.fixture
def events(users):
    return [security_event(SecurityEvent.Kind.LOGIN, user=users["diankou"]) for _ in range(5)]


def _drop_newest(model, count: int) -> None:
    """What an attacker with database access does: drop the trigger, delete the newest rows."""
    audit_triggers.uninstall(connection)
    ids = list(model.objects.order_by("-id").values_list("id", flat=True)[:count])
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {model._meta.db_table} WHERE id IN ({','.join(['%s'] * len(ids))})",  # noqa: S608
            ids,
        )


def test_checkpoint_is_signed_private_and_printable(events, capsys):
    call_command("audit_checkpoint")
    path = Path(audit_anchor.log_path())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    record = json.loads(path.read_text().splitlines()[-1])
    head = SecurityEvent.objects.filter(kind="login").order_by("-id").first()
    assert record["chains"]["core.SecurityEvent"]["head_id"] >= head.pk
    assert len(record["hmac"]) == 64
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.AUDIT_CHECKPOINT).count() == 1
    call_command("audit_checkpoint", "--print")
    printed = capsys.readouterr().out
    assert "审计日志检查点" in printed and record["hmac"] in printed and "核对人" in printed


def test_removed_tail_rows_are_detected_only_with_a_checkpoint(events, capsys):
    audit_anchor.checkpoint()
    _drop_newest(SecurityEvent, 2)
    reports = {r.model: r for r in verify_all()}
    report = reports["core.SecurityEvent"]
    assert report.broken_id is None  # the chain alone still looks whole: this is what the checkpoint adds
    assert not report.ok and "末尾至少 2 条记录被删除" in report.tail_problem
    assert reports["core.ObjectChange"].ok
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert "末尾至少" in capsys.readouterr().out


def test_rows_added_after_the_checkpoint_are_fine(events, capsys):
    audit_anchor.checkpoint()
    security_event(SecurityEvent.Kind.LOGOUT, username="x")
    call_command("verify_audit")
    assert "与检查点" in capsys.readouterr().out


def test_a_tampered_checkpoint_or_a_wrong_key_fails(events, settings):
    audit_anchor.checkpoint()
    path = Path(audit_anchor.log_path())
    record = json.loads(path.read_text())
    record["chains"]["core.SecurityEvent"]["rows"] = 1
    path.write_text(json.dumps(record) + "\n")
    assert not all(r.ok for r in verify_all())
    audit_anchor.checkpoint()
    settings.ZHAOSHANG_AUDIT_KEY = "another-key"
    reports = verify_all()
    assert all("签名不符" in r.tail_problem for r in reports)


def test_without_a_checkpoint_verify_says_so_and_passes(events, capsys):
    call_command("verify_audit")
    assert "尚无检查点" in capsys.readouterr().out


def test_yearly_target_changes_write_change_log_rows(users):
    unit = users["diankou"].org_unit
    target = stats_services.target_set(
        actor=users["center"], org_unit=unit, year=2026, metric="actual", value=Decimal("100")
    )
    stats_services.target_set(actor=users["center"], org_unit=unit, year=2026, metric="actual", value=Decimal("150"))
    stats_services.target_set(actor=users["center"], org_unit=unit, year=2026, metric="actual", value=Decimal("150"))
    rows = ObjectChange.objects.filter(content_type__model="target", object_id=target.pk).order_by("id")
    assert [r.action for r in rows] == ["create", "update"]  # the unchanged third write logs nothing
    assert rows[1].before["value"] == "100.00" and rows[1].after["value"] == "150.00"
    assert rows[1].actor_id == users["center"].pk


def test_calendar_edits_write_change_log_rows(users):
    day = calendar_day_set(actor=users["sysadmin"], date=datetime.date(2031, 10, 8), is_workday=False, name="国庆")
    calendar_day_set(actor=users["sysadmin"], date=datetime.date(2031, 10, 8), is_workday=True, name="调休")
    calendar_day_delete(actor=users["sysadmin"], pk=day.pk)
    rows = ObjectChange.objects.filter(content_type__model="calendarday", object_id=day.pk).order_by("id")
    assert [r.action for r in rows] == ["create", "update", "delete"]
