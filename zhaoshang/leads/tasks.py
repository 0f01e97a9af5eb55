from django_tasks import task


@task()
def check_lead_clocks() -> int:
    """Daily: remind the owners of overdue leads (idempotent within a day)."""
    from .services import clock_check

    return clock_check()
