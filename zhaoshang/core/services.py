"""Generic writes for business records (``BusinessModel``), used by the apps' own services; and the
writes of core's own tables: shares (``ObjectShare``) and the holiday calendar (``CalendarDay``).

Each function is atomic, checks data scope before and after the write (a write that would move a
record outside the actor's scope is rolled back), compares ``version`` (optimistic locking) and
writes exactly one change-log row.
"""

import datetime
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils import timezone

from .audit import log_change, snapshot
from .errors import NotFound, PermissionDenied, ValidationFailed, VersionConflict
from .models import BusinessModel, CalendarDay, ObjectChange, ObjectShare
from .scope import CHANGE, DELETE, forget_shares

M = TypeVar("M", bound=BusinessModel)


def _ensure_in_scope(model: type[BusinessModel], pk: int, actor, action: str) -> None:
    if not model.all_objects.restrict(actor, action).filter(pk=pk).exists():
        raise PermissionDenied("保存后的记录不在您的数据范围内，操作已撤销")


def validate_or_raise(obj: models.Model, exclude: list[str] | None = None) -> None:
    """``full_clean`` with Django's errors turned into ``ValidationFailed`` (field → messages)."""
    try:
        obj.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        raise ValidationFailed(fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from exc


def object_create(*, model: type[M], actor, data: dict[str, Any]) -> M:
    """Create a record in ``data['org_unit']`` (default: the actor's unit)."""
    with transaction.atomic():
        obj = model(**data)
        if obj.org_unit_id is None:
            obj.org_unit = actor.org_unit
        obj.region_id = obj.org_unit.region_id
        obj.created_by = obj.updated_by = actor
        validate_or_raise(obj, exclude=["region"])
        obj.save()
        _ensure_in_scope(model, obj.pk, actor, CHANGE)
        log_change(actor=actor, obj=obj, action=ObjectChange.Action.CREATE, before=None, after=snapshot(obj))
    return obj


def object_get_for_change(*, model: type[M], actor, pk: int, action: str = CHANGE) -> M:
    obj = model.objects.restrict(actor, action).select_for_update().filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


def object_update(*, obj: M, actor, data: dict[str, Any], version: int, scope: str = CHANGE) -> M:
    """Apply ``data`` if the record is still at ``version``; else raise ``VersionConflict`` naming
    the fields another user changed in between and who changed them.

    ``scope`` is the data scope the actor needs: ``CHANGE``, unless the caller has granted a narrower right
    itself (a stage's owner department fills the fields its stage requires on a project it only views)."""
    model = type(obj)
    with transaction.atomic():
        current = object_get_for_change(model=model, actor=actor, pk=obj.pk, action=scope)
        if current.version != version:
            raise _conflict(current, version)
        before = snapshot(current)
        for name, value in data.items():
            setattr(current, name, value)
        if "org_unit" in data or "org_unit_id" in data:
            current.region_id = current.org_unit.region_id
        current.updated_by = actor
        current.version += 1
        validate_or_raise(current, exclude=["region"])
        current.save()
        _ensure_in_scope(model, current.pk, actor, scope)
        after = snapshot(current)
        if before != after:
            log_change(actor=actor, obj=current, action=ObjectChange.Action.UPDATE, before=before, after=after)
    return current


def _mark_deleted(current: M, *, actor, deleted: bool) -> None:
    """Set (soft delete) or clear (restore) the deletion mark, with a new version and its change-log row."""
    before = snapshot(current)
    current.deleted_at = timezone.now() if deleted else None
    current.deleted_by = actor if deleted else None
    current.version += 1
    current.save(update_fields=["deleted_at", "deleted_by", "version", "updated_at"])
    action = ObjectChange.Action.DELETE if deleted else ObjectChange.Action.RESTORE
    log_change(actor=actor, obj=current, action=action, before=before, after=snapshot(current))


def object_delete(*, obj: M, actor, version: int | None = None) -> M:
    """Soft delete: the record disappears from lists and can be restored."""
    model = type(obj)
    with transaction.atomic():
        current = object_get_for_change(model=model, actor=actor, pk=obj.pk, action=DELETE)
        if version is not None and current.version != version:
            raise _conflict(current, version)
        _mark_deleted(current, actor=actor, deleted=True)
    return current


def object_restore(*, model: type[M], actor, pk: int) -> M:
    with transaction.atomic():
        current = (
            model.all_objects.restrict(actor, DELETE)
            .select_for_update()
            .filter(pk=pk, deleted_at__isnull=False)
            .first()
        )
        if current is None:
            raise NotFound()
        _mark_deleted(current, actor=actor, deleted=False)
    return current


def config_update(*, actor, obj: models.Model, data: dict[str, Any]) -> models.Model:
    """Apply ``data`` to a configuration row (a county's rules: no version, no data scope; the caller checks
    the capability) under a row lock, with one change-log row."""
    with transaction.atomic():
        current = type(obj).objects.select_for_update().get(pk=obj.pk)
        before = snapshot(current)
        for name, value in data.items():
            setattr(current, name, value)
        current.save()
        log_change(actor=actor, obj=current, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(current))
    return current


def _conflict(current: BusinessModel, stale_version: int) -> VersionConflict:
    changes = ObjectChange.objects.filter(
        content_type__app_label=current._meta.app_label,
        content_type__model=current._meta.model_name,
        object_id=current.pk,
    ).order_by("-id")[: max(1, current.version - stale_version)]
    fields: set[str] = set()
    by: list[str] = []
    for change in changes:
        fields.update(name for name, _, _ in change.changed_fields() if name != "version")
        if change.actor_name and change.actor_name not in by:
            by.append(change.actor_name)
    labels = [str(current._meta.get_field(f).verbose_name) for f in sorted(fields) if _has_field(current, f)]
    message = "该记录已被{}修改".format("、".join(by) or "他人")
    if labels:
        message += "（{}）".format("、".join(labels))
    message += "，请刷新后在最新版本上修改"
    return VersionConflict(message, extra={"current_version": current.version, "changed_fields": sorted(fields)})


def _has_field(obj: models.Model, name: str) -> bool:
    try:
        obj._meta.get_field(name)
    except Exception:
        return False
    return True


# --- core's own tables -----------------------------------------------------------------------------


def object_share(*, obj: models.Model, org_unit, actor) -> ObjectShare:
    """Let ``org_unit`` (and the units below it) see ``obj`` (read only); nothing happens if it already can
    by an earlier share."""
    share, _ = ObjectShare.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        org_unit=org_unit,
        defaults={"created_by": actor},
    )
    forget_shares()  # this request's restrict() sees the share from now on (core.scope)
    return share


def calendar_day_set(*, actor, date: datetime.date, is_workday: bool, name: str = "") -> CalendarDay:
    """Enter (or change) a day of the holiday calendar; every process sees it within the workdays cache time."""
    with transaction.atomic():
        day = CalendarDay.objects.select_for_update().filter(date=date).first()
        before = snapshot(day) if day is not None else None
        day = day or CalendarDay(date=date)
        day.is_workday, day.name = is_workday, name
        day.save()
        action = ObjectChange.Action.CREATE if before is None else ObjectChange.Action.UPDATE
        log_change(actor=actor, obj=day, action=action, before=before, after=snapshot(day))
    return day


def calendar_day_delete(*, actor, pk) -> bool:
    """Remove a day from the holiday calendar (the bundled official calendar applies again)."""
    with transaction.atomic():
        day = CalendarDay.objects.select_for_update().filter(pk=pk).first()
        if day is None:
            return False
        log_change(actor=actor, obj=day, action=ObjectChange.Action.DELETE, before=snapshot(day), after=None)
        day.delete()
    return True
