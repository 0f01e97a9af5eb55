from django_tasks import task

from .services import reservations_expire


@task()
def expire_reservations() -> int:
    """Daily: release the carriers whose reservation term has passed, with a notice to both units (idempotent)."""
    return reservations_expire()
