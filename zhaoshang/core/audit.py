"""The one way to write the change log and the security audit log.

``log_change`` is called by services for every business write; ``security_event`` for logins,
exports, role changes, denied access and the like. Both append to SM3 hash chains
(``models.audit``); ``verify_chain`` checks one.
"""

import datetime
import decimal
import functools
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import context
from .models import HashChainedLog, ObjectChange, SecurityEvent


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The record's concrete field values as JSON-safe data, as the change log stores them."""
    data: dict[str, Any] = {}
    for name, attname in _logged_fields(type(obj)):
        value = getattr(obj, attname)
        data[name] = value if value is None or type(value) in _PLAIN else _jsonable(value)
    return data


@functools.cache
def _logged_fields(model: type[models.Model]) -> tuple[tuple[str, str], ...]:
    """(name, attname) of the concrete fields the change log stores, once per model."""
    exclude = set(getattr(model, "changelog_exclude", ()))
    return tuple((f.name, f.attname) for f in model._meta.concrete_fields if f.name not in exclude)


_PLAIN = frozenset((str, int, bool, float))  # JSON values as they are (imports snapshot 100,000 records)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def log_change(*, actor, obj: models.Model, action: str, before: dict | None, after: dict | None) -> ObjectChange:
    ctx = context.current()
    return ObjectChange.append(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=getattr(actor, "display_name", "") if actor is not None else "系统",
        ip=ctx.ip,
        request_id=ctx.request_id,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        region_id=getattr(obj, "region_id", None),
        before=before,
        after=after,
    )


def log_changes_bulk(*, actor, objects: list, action: str, befores: list[dict | None] | None = None) -> int:
    """One change-log row per object, written in one batch (imports and other bulk writes)."""
    if not objects:
        return 0
    ctx = context.current()
    content_type = ContentType.objects.get_for_model(objects[0], for_concrete_model=True)
    befores = befores or [None] * len(objects)
    actor_id = actor.pk if actor is not None and actor.pk else None
    actor_name = getattr(actor, "display_name", "") if actor is not None else "系统"
    rows = [
        {
            "actor_id": actor_id,  # ids, not instances: cheaper to build a row from (imports log 100,000)
            "actor_name": actor_name,
            "ip": ctx.ip,
            "request_id": ctx.request_id,
            "action": action,
            "content_type_id": content_type.pk,
            "object_id": obj.pk,
            "object_repr": str(obj)[:200],
            "region_id": getattr(obj, "region_id", None),
            "before": before,
            "after": snapshot(obj),
        }
        for obj, before in zip(objects, befores, strict=True)
    ]
    return ObjectChange.append_many(rows)


def security_event(
    kind: str,
    *,
    user=None,
    username: str = "",
    success: bool = True,
    request=None,
    object_repr: str = "",
    detail: dict | None = None,
) -> SecurityEvent:
    ctx = context.current()
    region_id = None
    if user is not None and getattr(user, "org_unit_id", None):
        region_id = user.org_unit.region_id
    return SecurityEvent.append(
        user=user if user is not None and user.pk else None,
        username=username or getattr(user, "username", ""),
        ip=ctx.ip,
        request_id=ctx.request_id,
        kind=kind,
        success=success,
        object_repr=object_repr[:200],
        path=(request.path[:300] if request is not None else ""),
        region_id=region_id,
        detail=_jsonable(detail or {}),
    )


@dataclass
class ChainReport:
    model: str
    rows: int
    broken_id: int | None = None
    reason: str = ""
    tail_problem: str = ""  # against the latest signed checkpoint (audit_anchor): newest rows removed
    checkpoint_time: str = ""  # the checkpoint the chain was checked against ("" when there is none)

    @property
    def ok(self) -> bool:
        return self.broken_id is None and not self.tail_problem


def verify_chain(model: type[HashChainedLog]) -> ChainReport:
    """Walk the chain in insertion order; report the first row whose link or content is wrong.

    The first remaining row is the anchor (rows older than the retention period may be purged).
    """
    report = ChainReport(model=model._meta.label, rows=0)
    previous_hash = None
    for row in model.objects.order_by("id").iterator(chunk_size=2000):
        report.rows += 1
        if previous_hash is not None and row.prev_hash != previous_hash:
            report.broken_id, report.reason = row.pk, "与上一条记录的哈希不衔接（记录被删除或插入）"
            return report
        if row.compute_hash() != row.hash:
            report.broken_id, report.reason = row.pk, "记录内容与其哈希不符（记录被篡改）"
            return report
        previous_hash = row.hash
    return report


def verify_all(*, user=None) -> list[ChainReport]:
    """Verify both chains and record the outcome as one security event (auditors see the history)."""
    from . import audit_anchor  # cycle: audit_anchor reads the models this module writes

    reports = [verify_chain(ObjectChange), verify_chain(SecurityEvent)]
    anchors, checkpoint, problem = audit_anchor.verify()
    for report in reports:
        for anchor in anchors:
            if anchor.model == report.model:
                report.tail_problem = anchor.reason
                report.checkpoint_time = checkpoint["time"]
        if problem and problem != "没有检查点":
            report.tail_problem = problem
    security_event(
        SecurityEvent.Kind.AUDIT_VERIFIED,
        user=user,
        username=getattr(user, "username", "") or "系统",
        success=all(r.ok for r in reports),
        detail={
            r.model: {"rows": r.rows, "broken_id": r.broken_id, "reason": r.reason, "tail": r.tail_problem}
            for r in reports
        },
    )
    return reports
