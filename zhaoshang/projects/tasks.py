from django_tasks import task

from .services import warnings_recompute


@task()
def recompute_warnings(region_id: int | None = None) -> int:
    """Daily: recompute every project's light and escalation (idempotent)."""
    return warnings_recompute(region_id=region_id)
