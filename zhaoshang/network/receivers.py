"""Keeps the funnel's roll-up (``LeadProgress``) exact: it listens to the saves and deletes of the records a
lead's progress is read from — the lead, its project (the lifecycle's advance saves the dates its
``stage_closed`` records; an edit may change them without a stage), the project's FDI records and the lead's
source link — and refreshes the affected leads' rows in the same transaction. Connected by
``NetworkConfig.ready``; the owning apps are not edited (as ``chains.signals``). ``.update()`` and bulk writes
send no signal: none of the application's touches a counted column (the bench and the demo seed insert in bulk
and then run ``zhaoshang network-progress --rebuild``)."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from zhaoshang.leads import selectors as lead_selectors

from . import services

# model → the columns whose change moves a lead's progress (None: any save counts)
LEAD_FIELDS = {
    "source",
    "source_unit",
    "source_unit_id",
    "org_unit",
    "org_unit_id",
    "region",
    "region_id",
    "registered_on",
    "assessed_on",
    "status",
    "chain",
    "project",
    "project_id",
    "deleted_at",
}
PROJECT_FIELDS = {
    "first_contact_actual",
    "signed_actual",
    "registered_actual",
    "construction_start_actual",
    "total_investment",
}


def _touches(update_fields, fields: set[str]) -> bool:
    return update_fields is None or bool(set(update_fields) & fields)


def _lead_saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if not raw and _touches(update_fields, LEAD_FIELDS):
        services.progress_refresh(lead_ids=[instance.pk])


def _lead_deleted(sender, instance, **kwargs) -> None:
    services.progress_refresh(lead_ids=[instance.pk])


def _project_saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if not raw and _touches(update_fields, PROJECT_FIELDS):
        services.progress_refresh_projects(project_ids=[instance.pk])


def _project_deleting(sender, instance, **kwargs) -> None:
    # Deleting a project unlinks its lead (SET_NULL, no save signal): remember the lead to refresh after.
    instance._progress_leads = lead_selectors.lead_ids_of_projects([instance.pk])


def _project_deleted(sender, instance, **kwargs) -> None:
    services.progress_refresh(lead_ids=getattr(instance, "_progress_leads", []))


def _previous(model, instance, field: str):
    """The stored value of ``field`` before this save (None for a new row)."""
    if instance.pk is None:
        return None
    return model._base_manager.filter(pk=instance.pk).values_list(field, flat=True).first()


def _fdi_saving(sender, instance, raw=False, **kwargs) -> None:
    instance._progress_before = None if raw else _previous(sender, instance, "project_id")


def _fdi_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        projects = [instance.project_id, getattr(instance, "_progress_before", None)]
        services.progress_refresh_projects(project_ids=projects)


def _link_saving(sender, instance, raw=False, **kwargs) -> None:
    instance._progress_before = None if raw else _previous(sender, instance, "lead_id")


def _link_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        leads = [pk for pk in (instance.lead_id, getattr(instance, "_progress_before", None)) if pk]
        services.progress_refresh(lead_ids=leads)


def connect() -> None:
    lead = apps.get_model("leads", "Lead")
    project = apps.get_model("projects", "Project")
    fdi = apps.get_model("stats", "FDIRecord")
    link = apps.get_model("network", "LeadSource")
    post_save.connect(_lead_saved, sender=lead, dispatch_uid="network-progress-lead")
    post_delete.connect(_lead_deleted, sender=lead, dispatch_uid="network-progress-lead-deleted")
    post_save.connect(_project_saved, sender=project, dispatch_uid="network-progress-project")
    pre_delete.connect(_project_deleting, sender=project, dispatch_uid="network-progress-project-deleting")
    post_delete.connect(_project_deleted, sender=project, dispatch_uid="network-progress-project-deleted")
    pre_save.connect(_fdi_saving, sender=fdi, dispatch_uid="network-progress-fdi-saving")
    post_save.connect(_fdi_changed, sender=fdi, dispatch_uid="network-progress-fdi")
    post_delete.connect(_fdi_changed, sender=fdi, dispatch_uid="network-progress-fdi-deleted")
    pre_save.connect(_link_saving, sender=link, dispatch_uid="network-progress-link-saving")
    post_save.connect(_link_changed, sender=link, dispatch_uid="network-progress-link")
    post_delete.connect(_link_changed, sender=link, dispatch_uid="network-progress-link-deleted")
