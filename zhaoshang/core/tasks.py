from django.contrib.auth import get_user_model
from django_tasks import task

from .audit import verify_all


@task()
def verify_audit_chains(user_id: int | None = None) -> bool:
    """Walk both audit chains off the request path; the result is a security event. Idempotent."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return all(report.ok for report in verify_all(user=user))
