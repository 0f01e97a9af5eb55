from django_tasks import task


@task()
def generate_report(job_id: int) -> str:
    """Generate one report (idempotent: a finished job is left as it is)."""
    from .reports import run

    return run(job_id)
