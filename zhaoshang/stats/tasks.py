from django_tasks import task

from .reports import run


@task()
def generate_report(job_id: int) -> str:
    """Generate one report (idempotent: a finished job is left as it is)."""
    return run(job_id)
