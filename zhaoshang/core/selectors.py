"""Reads of the audit logs. The auditor of a county sees that county's rows; one without a unit
(a province-level auditor) sees all. The 工作台 reads the change log too: a user's records changed by
others (``changes_by_others``)."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from zhaoshang.core.roles import Cap

from .filters import ObjectChangeFilter, SecurityEventFilter
from .models import BusinessModel, ObjectChange, SecurityEvent
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


def changes_by_others(*, user, since, limit: int = 12) -> tuple[list[dict], int]:
    """Records in the user's scope that the user created or that belong to the user's own unit, changed by
    someone else (or by the system) after ``since``: the latest change of each, newest first, at most
    ``limit``; and how many such records there are (counted over the latest 500 changes).

    A fixed number of queries: the changes (one, the records chosen by subqueries per business model),
    their details for the rows shown (one), and the records shown (one per model among them)."""
    condition = Q()
    mine = Q(created_by=user) | Q(org_unit_id=user.org_unit_id)
    for model, ct in ContentType.objects.get_for_models(*_business_models()).items():
        records = model.all_objects.restrict(user).filter(mine).values("pk")
        condition |= Q(content_type_id=ct.pk, object_id__in=records)
    if not condition:
        return [], 0
    recent = (
        ObjectChange.objects.filter(condition, time__gt=since)
        .exclude(actor_id=user.pk)
        .order_by("-id")
        .values_list("id", "content_type_id", "object_id")[:500]
    )
    latest: dict[tuple[int, int], list[int]] = {}
    for pk, ct_id, object_id in recent:
        latest.setdefault((ct_id, object_id), []).append(pk)
    shown = list(latest.items())[:limit]
    changes = ObjectChange.objects.select_related("content_type").in_bulk([ids[0] for _, ids in shown])
    records: dict[tuple[int, int], object] = {}
    wanted: dict[int, list[int]] = {}
    for ct_id, object_id in (key for key, _ in shown):
        wanted.setdefault(ct_id, []).append(object_id)
    for ct_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        records |= {(ct_id, pk): obj for pk, obj in model.all_objects.in_bulk(ids).items()}
    rows = []
    for key, ids in shown:
        change, record = changes[ids[0]], records.get(key)
        deleted = record is None or record.deleted_at is not None
        fields = "、".join(label for label, _, _ in change.diff()[:4])
        what = change.get_action_display() + (f"：{fields}" if fields and change.action == "update" else "")
        rows.append(
            {
                "repr": f"{change.content_type.model_class()._meta.verbose_name} · {change.object_repr}",
                "url": "" if deleted else _url_of(record),
                "detail": f"{change.actor_name or '系统'} {what} · {timezone.localtime(change.time):%m-%d %H:%M}",
                "badge": f"{len(ids)} 次改动" if len(ids) > 1 else change.get_action_display(),
                "deleted": deleted,
            }
        )
    return rows, len(latest)


def _business_models() -> list[type]:
    return [m for m in apps.get_models() if issubclass(m, BusinessModel) and not m._meta.proxy]


def _url_of(record) -> str:
    return record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""


def previous_login(user) -> SecurityEvent | None:
    """The user's login before the current one (time and address): 等保 shows it so that a user notices a
    stranger's, and the 工作台 counts "since my last visit" from it."""
    return (
        SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.LOGIN)
        .order_by("-id")
        .only("time", "ip")[1:2]
        .first()
    )
