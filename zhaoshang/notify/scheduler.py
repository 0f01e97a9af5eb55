"""Scheduled jobs: a registry other apps add to, and the loop the task worker runs.

    from zhaoshang.notify.scheduler import register_job
    register_job("carriers_expire_reservations", expire_reservations, "15 0 * * *", label="到期预留释放")

A job is a callable without arguments returning something printable (its result). Schedules are cron
expressions in the platform's time zone; the administrator changes them on 系统管理 → 定时任务. The run
itself (lock, history, missed runs) is ``services.jobs``; ``zhaoshang worker`` runs it beside the
django-tasks database worker.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cronsim import CronSim, CronSimError
from django.utils import timezone


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable[[], object]
    default_schedule: str
    label: str
    lock_minutes: int = 60


JOBS: dict[str, JobSpec] = {}


def register_job(
    name: str, func: Callable[[], object], default_schedule: str, *, label: str = "", lock_minutes: int = 60
) -> JobSpec:
    """Add (or replace, for reloads and tests) a job; its row is created at the worker's next tick."""
    valid_schedule(default_schedule)
    spec = JobSpec(name, func, default_schedule, label or name, lock_minutes)
    JOBS[name] = spec
    return spec


def valid_schedule(expression: str) -> str:
    try:
        CronSim(expression, timezone.localtime())
    except (CronSimError, ValueError) as exc:
        raise ValueError(f"无效的 cron 表达式：{expression}") from exc
    return expression


def next_after(expression: str, after: datetime) -> datetime:
    """The first time the schedule fires strictly after ``after`` (in the platform's time zone)."""
    return next(CronSim(expression, timezone.localtime(after).replace(second=0, microsecond=0)))
