from zhaoshang.core.errors import NotFound

from .models import ImportJob


def import_job_list(*, user):
    """A user sees their own imports."""
    if not user.is_authenticated:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(created_by=user)


def import_job_get(*, user, pk: int) -> ImportJob:
    job = import_job_list(user=user).filter(pk=pk).first()
    if job is None:
        raise NotFound()
    return job
