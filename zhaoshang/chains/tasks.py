"""Background linking: one record after its save, and the resumable batch over the whole library."""

from django_tasks import task

from . import services


@task()
def link_one(subject: str, subject_id: int, region_id: int) -> dict:
    """Re-link one enterprise, lead or project (idempotent)."""
    return services.link_subject(subject=subject, subject_id=subject_id, region_id=region_id)


@task()
def link_library(region_id: int, restart: bool = False) -> dict:
    """Link every enterprise, lead and project of the region; run again, it resumes after the last id done."""
    done = {}
    for subject in ("enterprise", "lead", "project"):
        progress = services.link_all(region_id=region_id, subject=subject, restart=restart)
        done[subject] = progress.done
    return done
