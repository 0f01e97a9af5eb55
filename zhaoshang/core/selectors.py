"""Reads of the audit logs. The auditor of a county sees that county's rows; one without a unit
(a province-level auditor) sees all."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from zhaoshang.core.roles import Cap

from .filters import ObjectChangeFilter, SecurityEventFilter
from .models import ObjectChange, SecurityEvent
from .models.audit import resolve_diffs


def _audit_scope(actor):
    if not actor.has_capability(Cap.VIEW_AUDIT):
        return None
    if actor.org_unit_id is None:
        return Q()
    # Rows without a region (failed logins of unknown names) concern every auditor.
    return Q(region_id=actor.org_unit.region_id) | Q(region_id__isnull=True)


def security_event_list(*, actor, filters) -> SecurityEventFilter:
    scope = _audit_scope(actor)
    queryset = SecurityEvent.objects.none() if scope is None else SecurityEvent.objects.filter(scope)
    return SecurityEventFilter(filters, queryset=queryset.order_by("-id"))


def object_change_list(*, actor, filters) -> ObjectChangeFilter:
    scope = _audit_scope(actor)
    queryset = ObjectChange.objects.none() if scope is None else ObjectChange.objects.filter(scope)
    return ObjectChangeFilter(filters, queryset=queryset.select_related("content_type").order_by("-id"))


def object_history(obj) -> list[ObjectChange]:
    """The change log of one record, newest first (for its detail page; scope is the record's)."""
    changes = list(
        ObjectChange.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=obj.pk
        )
        .select_related("content_type")
        .order_by("-id")[:100]
    )
    resolve_diffs(changes)
    return changes
