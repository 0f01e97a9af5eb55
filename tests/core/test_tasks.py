from django.core.management import call_command
from django.urls import reverse

from zhaoshang.core.models import SecurityEvent

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_auditor_starts_verification_and_the_worker_runs_it(transactional_db, users, client_for, settings):
    # Transactional: the worker closes its database connection when it is done, as in production.
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    response = client_for(users["auditor"]).post(reverse("core:audit_verify"))
    assert response.status_code == 302
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert not SecurityEvent.objects.filter(kind="audit_verified").exists()

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    event = SecurityEvent.objects.get(kind="audit_verified")
    assert event.success is True and event.username == "auditor"
    assert event.detail["core.SecurityEvent"]["broken_id"] is None


def test_only_the_auditor_may_start_a_verification(users, client_for):
    for role in ("sysadmin", "secadmin", "leader", "center"):
        assert client_for(users[role]).post(reverse("core:audit_verify")).status_code == 403
    assert not SecurityEvent.objects.filter(kind="audit_verified").exists()
