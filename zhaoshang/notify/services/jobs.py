"""Running the scheduled jobs: one at a time per job across every worker (a lock row updated
conditionally), their history, and a missed run (server down at the time) run once at the next tick."""

import time
import traceback
import uuid
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap

from ..models import JobRun, ScheduledJob
from ..scheduler import JOBS, next_after, valid_schedule

KEEP_RUNS = 200  # history rows kept per job


def sync_jobs() -> None:
    """A row for every registered job (its default schedule; the first run at its next time)."""
    existing = set(ScheduledJob.objects.values_list("name", flat=True))
    now = timezone.now()
    ScheduledJob.objects.bulk_create(
        [
            ScheduledJob(
                name=spec.name, schedule=spec.default_schedule, next_run_at=next_after(spec.default_schedule, now)
            )
            for spec in JOBS.values()
            if spec.name not in existing
        ],
        ignore_conflicts=True,
    )


def run_due() -> list[str]:
    """Run every enabled job whose time has come (once, however many runs were missed); the names run."""
    sync_jobs()
    now = timezone.now()
    ran = []
    for job in ScheduledJob.objects.filter(enabled=True, next_run_at__lte=now, name__in=list(JOBS)).order_by("name"):
        if run_job(job):
            ran.append(job.name)
    return ran


def run_job(job: ScheduledJob) -> bool:
    """Take the job's lock, run it, record the run and its next time; False when another worker holds it."""
    spec = JOBS[job.name]
    token = uuid.uuid4().hex
    now = timezone.now()
    locked = (
        ScheduledJob.objects.filter(pk=job.pk)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(locked_until=now + timedelta(minutes=spec.lock_minutes), lock_token=token)
    )
    if not locked:
        return False
    started, clock = timezone.now(), time.monotonic()
    try:
        result, ok = spec.func(), True
        text = "" if result is None else str(result)
    except Exception as exc:  # noqa: BLE001 - a failing job is recorded, the scheduler goes on
        ok, text = False, f"{exc.__class__.__name__}: {exc}\n{traceback.format_exc(limit=3)}"
    duration = int((time.monotonic() - clock) * 1000)
    JobRun.objects.create(job=job, started_at=started, duration_ms=duration, ok=ok, result=text[:2000])
    current = ScheduledJob.objects.filter(pk=job.pk).values_list("schedule", flat=True).first() or job.schedule
    ScheduledJob.objects.filter(pk=job.pk, lock_token=token).update(
        locked_until=None,
        lock_token="",
        last_started_at=started,
        last_duration_ms=duration,
        last_ok=ok,
        last_result=text[:2000],
        next_run_at=next_after(current, timezone.now()),
    )
    old = JobRun.objects.filter(job=job).order_by("-id").values_list("id", flat=True)[KEEP_RUNS : KEEP_RUNS + 1000]
    JobRun.objects.filter(pk__in=list(old)).delete()
    return True


def _job_for_admin(actor, name: str) -> ScheduledJob:
    if actor is None or not actor.has_capability(Cap.MANAGE_SETTINGS):
        raise PermissionDenied()
    job = ScheduledJob.objects.filter(name=name).first()
    if job is None:
        raise NotFound()
    return job


def job_update(*, actor, name: str, schedule: str, enabled: bool) -> ScheduledJob:
    """The administrator changes a job's time or switches it off (系统管理 → 定时任务)."""
    job = _job_for_admin(actor, name)
    try:
        valid_schedule(schedule.strip())
    except ValueError as exc:
        raise ValidationFailed(str(exc), fields={"schedule": [str(exc)]}) from exc
    before = snapshot(job)
    ScheduledJob.objects.filter(pk=job.pk).update(
        schedule=schedule.strip(), enabled=enabled, next_run_at=next_after(schedule.strip(), timezone.now())
    )
    job.refresh_from_db()
    log_change(actor=actor, obj=job, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(job))
    return job


def job_run_soon(*, actor, name: str) -> ScheduledJob:
    """Run now: the job becomes due; the worker takes it at its next tick (within seconds)."""
    job = _job_for_admin(actor, name)
    ScheduledJob.objects.filter(pk=job.pk).update(next_run_at=timezone.now())
    job.refresh_from_db()
    return job
