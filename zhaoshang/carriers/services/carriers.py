"""Carriers: create, update (status changes keep their history), delete/restore, boundary, contact phone,
标准地 indicator values."""

from decimal import Decimal
from typing import Any

from django.db import transaction

from zhaoshang.core import parsers
from zhaoshang.core import services as core
from zhaoshang.core.audit import log_change, security_event, snapshot
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange, SecurityEvent
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE

from .. import geometry
from ..models import Carrier, CarrierStatusChange, LandIndicator, LandIndicatorValue


def _phone(value) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return ""
    return parsers.require({"contact_phone": lambda: parsers.phone(value)})["contact_phone"]


def _prepare(data: dict[str, Any]) -> tuple[dict[str, Any], str | None, Any]:
    """Split the phone (clear text) and the boundary (GeoJSON) from the model fields, and check the position."""
    data = dict(data)
    phone = _phone(data.pop("contact_phone", None))
    boundary = data.pop("boundary", ...)
    if "latitude" in data or "longitude" in data:
        geometry.check_point(data.get("latitude"), data.get("longitude"))
    return data, phone, boundary


def _apply_boundary(carrier: Carrier, boundary) -> None:
    if boundary is ...:
        return
    carrier.boundary, carrier.boundary_mu = geometry.validated_boundary(boundary)
    if carrier.boundary is not None and carrier.latitude is None:
        carrier.latitude, carrier.longitude = geometry.centroid(carrier.boundary)


def _require_writer(actor) -> None:
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied("您的角色不能修改载体")


def carrier_create(*, actor, data: dict[str, Any]) -> Carrier:
    _require_writer(actor)
    data, phone, boundary = _prepare(data)
    with transaction.atomic():
        carrier = Carrier(**data)
        if carrier.org_unit_id is None:
            carrier.org_unit = actor.org_unit
        carrier.region_id = carrier.org_unit.region_id
        _apply_boundary(carrier, boundary)
        carrier.set_phone(phone or "")
        carrier.created_by = carrier.updated_by = actor
        core.validate_or_raise(carrier, exclude=["region"])
        carrier.save()
        if not Carrier.objects.restrict(actor, CHANGE).filter(pk=carrier.pk).exists():
            raise PermissionDenied("保存后的记录不在您的数据范围内，操作已撤销")
        CarrierStatusChange.objects.create(carrier=carrier, from_status="", to_status=carrier.status, actor=actor)
        log_change(actor=actor, obj=carrier, action=ObjectChange.Action.CREATE, before=None, after=snapshot(carrier))
    return carrier


def carrier_update(*, actor, carrier: Carrier, data: dict[str, Any], version: int, reason: str = "") -> Carrier:
    _require_writer(actor)
    data, phone, boundary = _prepare(data)
    with transaction.atomic():
        if phone is not None:
            probe = Carrier()
            probe.set_phone(phone)
            data.update(
                contact_phone_cipher=probe.contact_phone_cipher, contact_phone_masked=probe.contact_phone_masked
            )
        if boundary is not ...:
            probe = Carrier(
                latitude=data.get("latitude", carrier.latitude), longitude=data.get("longitude", carrier.longitude)
            )
            _apply_boundary(probe, boundary)
            data.update(boundary=probe.boundary, boundary_mu=probe.boundary_mu)
            data.setdefault("latitude", probe.latitude)
            data.setdefault("longitude", probe.longitude)
        before_status = Carrier.objects.filter(pk=carrier.pk).values_list("status", flat=True).first()
        updated = core.object_update(obj=carrier, actor=actor, data=data, version=version)
        if before_status is not None and updated.status != before_status:
            CarrierStatusChange.objects.create(
                carrier=updated, from_status=before_status, to_status=updated.status, actor=actor, reason=reason[:200]
            )
    return updated


def carrier_set_status(*, actor, carrier: Carrier, status: str, reason: str = "", **fields) -> Carrier:
    """Change the status on behalf of a workflow the caller already authorised (a reservation approved by the
    owner unit, a 供地 closed in the lifecycle): no change scope is asked of ``actor``. The row is locked,
    the version moves, the history and the change log get one row each."""
    if status not in Carrier.Status.values:
        raise ValidationFailed(fields={"status": ["状态无效"]})
    current = Carrier.objects.select_for_update().get(pk=carrier.pk)
    before = snapshot(current)
    previous = current.status
    current.status = status
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_by = actor if actor is not None and actor.pk else None
    current.save()
    if previous != status:
        CarrierStatusChange.objects.create(
            carrier=current, from_status=previous, to_status=status, actor=current.updated_by, reason=reason[:200]
        )
    log_change(actor=actor, obj=current, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(current))
    return current


def carrier_set_boundary(*, actor, carrier: Carrier, boundary: dict | None, version: int) -> tuple[Carrier, str | None]:
    """Draw or replace the boundary (the owner unit or the land authority); returns the record and the area
    warning (computed vs declared, > 5 %)."""
    updated = carrier_update(actor=actor, carrier=carrier, data={"boundary": boundary}, version=version)
    return updated, geometry.area_warning(updated.area_mu, updated.boundary_mu)


def carrier_delete(*, actor, carrier: Carrier, version: int | None = None) -> Carrier:
    _require_writer(actor)
    return core.object_delete(obj=carrier, actor=actor, version=version)


def carrier_restore(*, actor, pk: int) -> Carrier:
    _require_writer(actor)
    return core.object_restore(model=Carrier, actor=actor, pk=pk)


def carrier_reveal_phone(*, actor, carrier_id: int, request=None) -> str:
    """The full contact phone, for roles that may see it; every reveal (and refusal) is audited."""
    carrier = Carrier.objects.restrict(actor).filter(pk=carrier_id).first()
    if carrier is None:
        raise NotFound()
    if not actor.has_capability(Cap.REVEAL_PERSONAL):
        security_event(SecurityEvent.Kind.REVEAL, user=actor, success=False, request=request, object_repr=str(carrier))
        raise PermissionDenied("您的角色不能查看完整联系方式")
    security_event(
        SecurityEvent.Kind.REVEAL,
        user=actor,
        request=request,
        object_repr=str(carrier),
        detail={"carrier_id": carrier.pk},
    )
    return carrier.reveal_phone()


def indicator_values_set(*, actor, carrier: Carrier, values: dict[str, Decimal | None]) -> Carrier:
    """Set a 标准地 parcel's indicator values (code → value; None removes one), with one change-log row."""
    _require_writer(actor)
    with transaction.atomic():
        current = Carrier.objects.restrict(actor, CHANGE).select_for_update().filter(pk=carrier.pk).first()
        if current is None:
            raise NotFound()
        indicators = {i.code: i for i in LandIndicator.objects.filter(region_id=current.region_id)}
        unknown = sorted(set(values) - set(indicators))
        if unknown:
            raise ValidationFailed(fields={"values": [f"未定义的指标：{'、'.join(unknown)}"]})
        before = {v.indicator.code: str(v.value) for v in current.indicator_values.select_related("indicator")}
        for code, value in values.items():
            if value is None:
                LandIndicatorValue.objects.filter(carrier=current, indicator=indicators[code]).delete()
            else:
                if Decimal(value) < 0:
                    raise ValidationFailed(fields={"values": [f"{indicators[code].name}不能为负数"]})
                LandIndicatorValue.objects.update_or_create(
                    carrier=current, indicator=indicators[code], defaults={"value": Decimal(value)}
                )
        after = {v.indicator.code: str(v.value) for v in current.indicator_values.select_related("indicator")}
        if before != after:
            log_change(
                actor=actor,
                obj=current,
                action=ObjectChange.Action.UPDATE,
                before={"indicators": before},
                after={"indicators": after},
            )
    return current


def boundaries_import(*, actor, collection: dict, crs: str = "wgs84") -> dict:
    """Set boundaries from a GeoJSON FeatureCollection whose features name the carrier by ``code`` (or ``name``)
    in their properties. ``crs`` is what the file declares: ``wgs84``/``cgcs2000`` as is, ``gcj02`` converted
    explicitly. Valid features are written, each bad one is reported with its reason: ``{"updated", "errors"}``."""
    _require_writer(actor)
    if crs not in ("wgs84", "cgcs2000", "gcj02"):
        raise ValidationFailed(fields={"crs": ["坐标系应为 wgs84、cgcs2000 或 gcj02"]})
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ValidationFailed("须为 GeoJSON FeatureCollection", fields={"file": ["须为 GeoJSON FeatureCollection"]})
    writable = Carrier.objects.restrict(actor, CHANGE)
    updated, errors = 0, []
    for number, feature in enumerate(collection.get("features") or [], start=1):
        props = feature.get("properties") or {}
        key = str(props.get("code") or props.get("name") or "").strip()
        carrier = writable.filter(code=key).first() or writable.filter(name=key).first() if key else None
        if carrier is None:
            errors.append({"feature": number, "key": key, "message": f"没有您可修改的编号或名称为“{key}”的载体"})
            continue
        shape_ = feature.get("geometry")
        if crs == "gcj02" and isinstance(shape_, dict):
            shape_ = geometry.geometry_from_gcj02(shape_)
        problem = geometry.boundary_problem(shape_)
        if problem:
            errors.append({"feature": number, "key": key, "message": problem})
            continue
        carrier_update(actor=actor, carrier=carrier, data={"boundary": shape_}, version=carrier.version)
        updated += 1
    return {"updated": updated, "errors": errors}
