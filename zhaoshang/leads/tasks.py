from django_tasks import task

from .services import clock_check


@task()
def check_lead_clocks() -> int:
    """Daily: remind the owners of overdue leads (idempotent within a day)."""
    return clock_check()
