"""Sister cities and events: the records, the sign-in import and the leads they produce."""

from datetime import date
from typing import Any

from django.db import transaction

from zhaoshang.core import services as core
from zhaoshang.core.audit import log_changes_bulk
from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.imports import files
from zhaoshang.leads import services as lead_services

from ..models import Event, EventParticipant, LeadSource, SisterCity
from .common import require_change
from .offices import source_link


def sister_city_create(*, actor, data: dict[str, Any], industries=()) -> SisterCity:
    require_change(actor)
    with transaction.atomic():
        city = core.object_create(model=SisterCity, actor=actor, data=data)
        city.industries.set(industries)
    return city


def sister_city_update(*, actor, city: SisterCity, data: dict[str, Any], version: int, industries=None) -> SisterCity:
    with transaction.atomic():
        city = core.object_update(obj=city, actor=actor, data=data, version=version)
        if industries is not None:
            city.industries.set(industries)
    return city


def sister_city_delete(*, actor, city: SisterCity, version: int | None = None) -> None:
    core.object_delete(obj=city, actor=actor, version=version)


def sister_city_restore(*, actor, pk: int) -> SisterCity:
    return core.object_restore(model=SisterCity, actor=actor, pk=pk)


def event_create(*, actor, data: dict[str, Any]) -> Event:
    require_change(actor)
    return core.object_create(model=Event, actor=actor, data=data)


def event_update(*, actor, event: Event, data: dict[str, Any], version: int) -> Event:
    return core.object_update(obj=event, actor=actor, data=data, version=version)


def event_delete(*, actor, event: Event, version: int | None = None) -> None:
    core.object_delete(obj=event, actor=actor, version=version)


def event_restore(*, actor, pk: int) -> Event:
    return core.object_restore(model=Event, actor=actor, pk=pk)


SIGN_IN_COLUMNS = {
    "企业": "enterprise_name",
    "企业名称": "enterprise_name",
    "单位": "enterprise_name",
    "姓名": "person",
    "参会人": "person",
    "职务": "title",
}


def sign_in_rows(content: bytes, filename: str) -> list[dict[str, str]]:
    """The rows of a sign-in sheet (.xlsx or .csv, checked by the import engine): the columns 企业(名称)/单位,
    姓名/参会人, 职务 by their header."""
    try:
        kind = files.inspect_upload(content, filename)
        sheet = list(files.read_rows(content, kind, max_rows=5000))
    except files.UploadRejected as exc:
        raise ValidationFailed(fields={"file": [exc.message]}) from exc
    if not sheet:
        raise ValidationFailed(fields={"file": ["签到表为空"]})
    header = [SIGN_IN_COLUMNS.get(str(c or "").strip()) for c in sheet[0]]
    if "enterprise_name" not in header:
        raise ValidationFailed(fields={"file": ["签到表须有“企业”或“单位”一列"]})
    rows = []
    for raw in sheet[1:]:
        row = {name: str(value).strip() for name, value in zip(header, raw, strict=False) if name and value}
        if row.get("enterprise_name"):
            rows.append(row)
    return rows


def participants_import(*, actor, event: Event, content: bytes, filename: str) -> int:
    """Add the signed-in participants of a sign-in sheet to an event (one change row each)."""
    current = core.object_get_for_change(model=Event, actor=actor, pk=event.pk)
    rows = sign_in_rows(content, filename)
    with transaction.atomic():
        made = EventParticipant.objects.bulk_create(
            [
                EventParticipant(
                    event=current,
                    signed_in=True,
                    **{k: v[:60] if k != "enterprise_name" else v[:200] for k, v in row.items()},
                )
                for row in rows
            ]
        )
        log_changes_bulk(actor=actor, objects=made, action=ObjectChange.Action.CREATE)
    return len(made)


def lead_from_source(*, actor, kind: str, record, lead_data: dict[str, Any], phone: str = "", on: date | None = None):
    """Register a lead produced by a sister city or an event, with that record as its source."""
    channel = {LeadSource.Kind.SISTER_CITY: "sister_city", LeadSource.Kind.EVENT: "fair"}[kind]
    with transaction.atomic():
        lead = lead_services.lead_register(actor=actor, data={"source": channel, **lead_data}, phone=phone, on=on)
        source_link(actor=actor, lead=lead, kind=kind, **{kind: record})
    return lead
