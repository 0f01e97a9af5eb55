from django_tasks import task

from . import engine
from .models import ImportJob


@task()
def process_import(job_id: int) -> str:
    """Idempotent: a finished job is left as it is."""
    job = ImportJob.objects.select_related("created_by", "org_unit").get(pk=job_id)
    return engine.run(job).status
