"""The county's variable catalogue (configuration): the defaults on first use; the center's officers and the
leaders edit it. A variable's code and type cannot change once clauses use it (their conditions would change
meaning), so only its name, unit, choices and note are editable afterwards."""

import re

from django.db import transaction

from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import coordinates

from ..catalogue import as_engine, default_rows
from ..engine.catalogue import KINDS, Var
from ..models import Variable

CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
EDITABLE = ("name", "unit", "choices", "note", "order", "source")


def may_manage_catalogue(user) -> bool:
    return coordinates(user) or user.has_capability(Cap.VIEW_REGION)


def ensure_default_variables(region_id: int) -> None:
    if Variable.objects.filter(region_id=region_id).exists():
        return
    Variable.objects.bulk_create(
        [Variable(region_id=region_id, **row) for row in default_rows()], ignore_conflicts=True
    )


def _check(data: dict) -> None:
    errors = {}
    if "code" in data and not CODE.match(data["code"] or ""):
        errors["code"] = ["变量名须为小写字母开头的字母、数字或下划线（2–40 个字符）"]
    if "kind" in data and data["kind"] not in dict(KINDS):
        errors["kind"] = ["类型无效"]
    choices = data.get("choices")
    if choices is not None and not (
        isinstance(choices, list) and all(isinstance(c, list | tuple) and len(c) == 2 for c in choices)
    ):
        errors["choices"] = ["选项须为 [[值, 名称], …]"]
    if data.get("kind") == "choice" and not choices:
        errors["choices"] = ["选项类型须列出选项"]
    if errors:
        raise ValidationFailed(fields=errors)


def variable_create(*, actor, data: dict) -> Variable:
    if not may_manage_catalogue(actor):
        raise PermissionDenied("只有投资促进中心或领导可以维护政策变量目录")
    _check(data)
    with transaction.atomic():
        if Variable.objects.filter(region_id=actor.region_id, code=data["code"]).exists():
            raise ValidationFailed(fields={"code": ["该变量名已存在"]})
        variable = Variable.objects.create(region_id=actor.region_id, **data)
        log_change(actor=actor, obj=variable, action=ObjectChange.Action.CREATE, before=None, after=snapshot(variable))
    return variable


def variable_update(*, actor, variable: Variable, data: dict) -> Variable:
    if not may_manage_catalogue(actor) or variable.region_id != actor.region_id:
        raise PermissionDenied("只有投资促进中心或领导可以维护政策变量目录")
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationFailed("变量名和类型在条款引用后不能修改", fields={name: ["不能修改"] for name in unknown})
    _check({**data, "kind": variable.kind} if "choices" in data else data)
    with transaction.atomic():
        current = Variable.objects.select_for_update().get(pk=variable.pk)
        before = snapshot(current)
        for name, value in data.items():
            setattr(current, name, value)
        current.save()
        log_change(actor=actor, obj=current, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(current))
    return current


def catalogue_for(region_id: int) -> dict[str, Var]:
    """The county's catalogue as the engine reads it (the defaults are created the first time)."""
    ensure_default_variables(region_id)
    return as_engine(Variable.objects.filter(region_id=region_id))
