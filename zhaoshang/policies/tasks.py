"""Background work of the policy library: 精准推送 after a publication, and the daily due-date check of the
agreed terms. Tasks take ids and are idempotent (a finished push run is not redone)."""

from django_tasks import task

from .services import push
from .services.commitments import commitments_due_all


@task()
def push_clause(run_id: int) -> int:
    run = push.push_run(run_id)
    return len(run.projects) + len(run.enterprises)


@task()
def check_commitments() -> int:
    """Daily: check the agreed terms whose due date has come."""
    return commitments_due_all()
