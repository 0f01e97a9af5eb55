"""Enterprise relations (对内深挖): a plain business record on the generic writes."""

from zhaoshang.core import services as core

from ..models import EnterpriseRelation


def _clean(data: dict) -> dict:
    data = dict(data)
    counterpart = data.get("counterpart")
    if counterpart is not None and not (data.get("counterpart_name") or "").strip():
        data["counterpart_name"] = counterpart.name
    if "counterpart_name" in data:
        data["counterpart_name"] = " ".join((data["counterpart_name"] or "").split())
    return data


def relation_create(*, actor, data: dict) -> EnterpriseRelation:
    return core.object_create(model=EnterpriseRelation, actor=actor, data=_clean(data))


def relation_update(*, actor, relation: EnterpriseRelation, data: dict, version: int) -> EnterpriseRelation:
    return core.object_update(obj=relation, actor=actor, data=_clean(data), version=version)


def relation_delete(*, actor, relation: EnterpriseRelation, version: int | None = None) -> None:
    core.object_delete(obj=relation, actor=actor, version=version)


def relation_restore(*, actor, pk: int) -> EnterpriseRelation:
    return core.object_restore(model=EnterpriseRelation, actor=actor, pk=pk)
