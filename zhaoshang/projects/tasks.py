from django_tasks import task


@task()
def recompute_warnings(region_id: int | None = None) -> int:
    """Daily: recompute every project's light and escalation (idempotent)."""
    from .services import warnings_recompute

    return warnings_recompute(region_id=region_id)
