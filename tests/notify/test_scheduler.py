"""The scheduler: registered jobs get rows, run when due, never twice at once, a missed run runs once."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.notify import scheduler
from zhaoshang.notify.models import JobRun, ScheduledJob
from zhaoshang.notify.services import jobs

T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # 08:00 in 诸暨


@pytest.fixture
def calls():
    seen: list[str] = []
    saved = dict(scheduler.JOBS)
    scheduler.JOBS.clear()
    scheduler.register_job("hello", lambda: seen.append("hello") or "你好", "0 9 * * *", label="问候")
    yield seen
    scheduler.JOBS.clear()
    scheduler.JOBS.update(saved)


def test_a_job_runs_at_its_time_once_and_records_its_history(db, calls):
    with time_machine.travel(T0, tick=False) as clock:
        assert jobs.run_due() == []
        job = ScheduledJob.objects.get(name="hello")
        assert job.next_run_at == T0 + timedelta(hours=1)
        clock.move_to(T0 + timedelta(hours=1))
        assert jobs.run_due() == ["hello"]
        assert jobs.run_due() == []
    job.refresh_from_db()
    assert calls == ["hello"] and job.last_ok and job.last_result == "你好"
    assert job.next_run_at == T0 + timedelta(days=1, hours=1) and job.locked_until is None
    assert JobRun.objects.filter(job=job, ok=True).count() == 1


def test_runs_missed_while_the_server_was_down_run_once_at_start_up(db, calls):
    with time_machine.travel(T0, tick=False) as clock:
        jobs.sync_jobs()
        clock.move_to(T0 + timedelta(days=3, hours=2))  # three 09:00 runs missed
        assert jobs.run_due() == ["hello"]
        assert jobs.run_due() == []
        assert ScheduledJob.objects.get(name="hello").next_run_at == T0 + timedelta(days=4, hours=1)
    assert calls == ["hello"]


def test_a_locked_job_is_not_run_a_second_time_and_a_stale_lock_expires(db, calls):
    with time_machine.travel(T0 + timedelta(hours=1), tick=False) as clock:
        jobs.sync_jobs()
        ScheduledJob.objects.filter(name="hello").update(
            next_run_at=T0, locked_until=T0 + timedelta(hours=1, minutes=30), lock_token="other-worker"
        )
        assert jobs.run_due() == [] and calls == []
        clock.shift(timedelta(minutes=31))  # the other worker died: its lock runs out
        assert jobs.run_due() == ["hello"] and calls == ["hello"]


def test_a_failing_job_is_recorded_and_the_next_one_still_runs(db, calls):
    scheduler.register_job("broken", lambda: 1 / 0, "0 9 * * *")
    with time_machine.travel(T0 + timedelta(hours=1, minutes=1), tick=False):
        jobs.sync_jobs()
        ScheduledJob.objects.update(next_run_at=T0)
        assert jobs.run_due() == ["broken", "hello"]
    broken = ScheduledJob.objects.get(name="broken")
    assert broken.last_ok is False and "ZeroDivisionError" in broken.last_result
    assert calls == ["hello"]


def test_the_administrator_changes_a_schedule_and_others_cannot(users, calls):
    jobs.sync_jobs()
    with pytest.raises(ValidationFailed):
        jobs.job_update(actor=users["sysadmin"], name="hello", schedule="every day", enabled=True)
    with pytest.raises(PermissionDenied):
        jobs.job_update(actor=users["leader"], name="hello", schedule="0 10 * * *", enabled=True)
    assert ScheduledJob.objects.get(name="hello").schedule == "0 9 * * *"
    job = jobs.job_update(actor=users["sysadmin"], name="hello", schedule="0 10 * * 1-5", enabled=False)
    assert (job.schedule, job.enabled) == ("0 10 * * 1-5", False)


def test_the_platform_registers_its_daily_and_monthly_jobs():
    assert {
        "recompute_warnings",
        "check_lead_clocks",
        "fdi_rollup_check",
        "network_progress_check",
        "monthly_briefing",
        "notify_digest",
        "carrier_reservations_expire",
        "backup",
    } <= set(scheduler.JOBS)
    assert scheduler.JOBS["monthly_briefing"].default_schedule == "0 6 1 * *"


def test_the_funnel_roll_up_check_runs_and_reports_consistency(db):
    assert scheduler.JOBS["network_progress_check"].func().strip().endswith("线索进度汇总表与记录一致")


def test_the_lead_clock_job_runs_the_command_and_returns_its_output(db):
    assert scheduler.JOBS["check_lead_clocks"].func().endswith("已发出 0 条线索超时提醒")


def test_the_worker_tick_runs_due_jobs_and_the_outbox_and_survives_a_failing_step(users, calls, monkeypatch):
    from zhaoshang.notify.management.commands import worker  # lazy: the command module is only needed here
    from zhaoshang.notify.models import OutboxMessage
    from zhaoshang.notify.services import notify_users

    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        jobs.sync_jobs()
        ScheduledJob.objects.update(next_run_at=T0)
        notify_users([users["center"]], title="接棒：甲项目", level="handoff")
        worker.tick()
        assert calls == ["hello"] and not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()
        notify_users([users["center"]], title="接棒：乙项目", level="handoff")
        monkeypatch.setattr(worker.jobs, "run_due", lambda: 1 / 0)
        worker.tick()  # the scheduler step fails: logged, the outbox step still runs
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()


def test_the_delivery_task_dispatches_what_is_waiting(users):
    from zhaoshang.notify.models import OutboxMessage
    from zhaoshang.notify.services import notify_users
    from zhaoshang.notify.tasks import deliver_outbox

    notify_users([users["center"]], title="接棒：丙项目", level="handoff")
    result = deliver_outbox.enqueue()
    assert result.return_value == {"dispatched": 1}
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()
