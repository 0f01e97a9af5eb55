"""The data a stage requires (``Stage.required_fields``), filled by whoever works the stage.

The department that owns the open stage usually cannot edit the project (it only sees it, shared at the
handoff); it may fill exactly the fields its stage requires, in place on the project page or through the
API. The introducing unit and the region's leaders may too, as they may edit the project anyway.
"""

from typing import Any

from django.db import transaction

from zhaoshang.core import services as core
from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE, VIEW
from zhaoshang.enterprises import selectors as enterprise_selectors
from zhaoshang.enterprises import services as enterprise_services

from ..models import Project, ProjectEvent, ProjectStage, Stage
from .events import event, today_or
from .lifecycle import project_for, who_fills
from .warning_engine import open_run, refresh_warning

ENTERPRISE_FIELDS = ("investor", "operating_company")
# A reference may be given by its column (``operating_company_id``, as the API does) or as the record.
_NAMES = {f.attname: f.name for f in Project._meta.concrete_fields if f.attname != f.name}


def stage_field_names(stage: Stage) -> list[str]:
    """The project fields the stage requires, as configured (unknown names ignored)."""
    names = {f.name for f in Project._meta.concrete_fields if f.editable}
    return [name for name in stage.required_fields if name in names]


def field_label(name: str) -> str:
    return str(Project._meta.get_field(name).verbose_name)


def may_fill_stage_fields(actor, project: Project, run: ProjectStage) -> bool:
    """The open stage's owner unit, the introducing unit, or a leader of the region."""
    if not actor.has_capability(Cap.BUSINESS_CHANGE) or actor.org_unit_id is None:
        return False
    if actor.has_capability(Cap.ADVANCE_ANY_STAGE) and project.region_id == actor.region_id:
        return True
    if run.owner_unit_id in actor.org_unit.subtree_ids():
        return True
    return Project.objects.restrict(actor, CHANGE).filter(pk=project.pk).exists()


def project_fill_stage_fields(*, actor, project: Project, data: dict[str, Any], version: int) -> Project:
    """Fill the fields the open stage requires (only those; each must have a value). ``data`` maps field
    names to values; an enterprise field may be given as a name (a ``str``): the region's enterprise of
    that name is used, or it is registered in the actor's unit. Change-logged, version-checked, progress."""
    on = today_or(None)
    with transaction.atomic():
        project = project_for(actor, project.pk)
        run = open_run(project)
        if run is None:
            raise ValidationFailed("该项目已完成全部阶段，没有需要填写的阶段资料")
        if not may_fill_stage_fields(actor, project, run):
            raise PermissionDenied(f"“{run.stage.name}”阶段的资料由{who_fills(project, run)}填写")
        allowed = stage_field_names(run.stage)
        data = {_NAMES.get(key, key): value for key, value in data.items()}
        _check_fields(run.stage, allowed, data)
        values = {name: _value(actor, name, value) for name, value in data.items()}
        project = core.object_update(
            obj=project, actor=actor, data={**values, "last_progress_on": on}, version=version, scope=VIEW
        )
        unit = actor.org_unit.name
        labels = "、".join(field_label(name) for name in values)
        event(project, ProjectEvent.Kind.STAGE_DATA, f"{unit}填写“{run.stage.name}”阶段资料：{labels}", actor=actor)
        refresh_warning(project)
    return project


def _check_fields(stage: Stage, allowed: list[str], data: dict[str, Any]) -> None:
    if not allowed:
        raise ValidationFailed(f"“{stage.name}”阶段没有需要填写的资料")
    wanted = "、".join(f"“{field_label(n)}”" for n in allowed)
    errors = {name: [f"“{stage.name}”阶段只需填写{wanted}，不能在此修改该项"] for name in data if name not in allowed}
    if errors:
        raise ValidationFailed("只能填写本阶段要求的资料", fields=errors)
    if not data:
        raise ValidationFailed(f"请填写{wanted}")
    empty = {name: ["请填写该项"] for name, value in data.items() if value in (None, "") or value == []}
    if empty:
        raise ValidationFailed(fields=empty)


def _value(actor, name: str, value):
    """An id given for a reference: the record; an enterprise given by name: the region's enterprise of that
    name, or a new one of the actor's unit."""
    field = Project._meta.get_field(name)
    if field.is_relation and isinstance(value, int):
        return field.related_model._default_manager.filter(pk=value).first()
    if name not in ENTERPRISE_FIELDS or not isinstance(value, str):
        return value
    name_given = value.strip()
    found = enterprise_selectors.enterprise_in_region(region_id=actor.org_unit.region_id, name=name_given)
    return found or enterprise_services.enterprise_create(actor=actor, data={"name": name_given})
