"""Linking on create/update: enterprises, leads and projects are re-linked after their transaction commits
(a django-tasks task, so a slow classifier never holds a page). Connected by ``ChainsConfig.ready``; the owning
apps are not edited — the receivers listen to their models' ``post_save`` by app label."""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save

SUBJECTS = {("enterprises", "Enterprise"): "enterprise", ("leads", "Lead"): "lead", ("projects", "Project"): "project"}
TEXT_FIELDS = {
    "enterprise": {"name", "business_scope", "industry", "industry_id", "merged_into", "merged_into_id"},
    "lead": {"title", "enterprise_name", "site_needs", "industry", "industry_id"},
    "project": {"name", "description", "industry", "industry_id"},
}


def _receiver(subject: str):
    def received(sender, instance, created, update_fields=None, raw=False, **kwargs):
        if raw or (update_fields is not None and not set(update_fields) & TEXT_FIELDS[subject]):
            return
        pk, region_id = instance.pk, instance.region_id
        transaction.on_commit(lambda: _enqueue(subject, pk, region_id))

    received.__name__ = f"link_{subject}"
    return received


def _enqueue(subject: str, pk: int, region_id: int) -> None:
    from .tasks import link_one  # cycle: tasks import the services, which import the other apps' selectors

    link_one.enqueue(subject, pk, region_id)


_RECEIVERS = {}


def connect() -> None:
    for (label, name), subject in SUBJECTS.items():
        model = apps.get_model(label, name)
        _RECEIVERS[subject] = _receiver(subject)
        post_save.connect(_RECEIVERS[subject], sender=model, dispatch_uid=f"chains-link-{subject}")
