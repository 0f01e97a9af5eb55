"""Saved 政策测算: the inputs, the result as shown and the clause versions used, attached to a project (in the
project's unit, so whoever sees the project sees its calculations) or kept as a what-if of the actor's unit."""

from django.db import transaction

from zhaoshang.core import services
from zhaoshang.core.errors import ValidationFailed

from .. import calculation as calc
from ..models import Calculation


def calculation_save(*, actor, values: dict, project=None, title: str = "", note: str = "") -> Calculation:
    """Run the calculation on ``values`` (already coerced) and keep it. ``project`` was read through the
    projects' selectors in the actor's scope."""
    region_id = project.region_id if project is not None else actor.region_id
    result = calc.run(region_id=region_id, values=values)
    title = (title or "").strip() or (f"{project.name} 政策测算" if project is not None else "假设测算")
    if len(title) > 200:
        raise ValidationFailed(fields={"title": ["名称最多 200 个字符"]})
    data = {"title": title, "inputs": calc.plain(values), "total": result["total"], "note": note}
    if project is not None:
        data.update(project=project, org_unit=project.org_unit)
    with transaction.atomic():
        calculation = services.object_create(model=Calculation, actor=actor, data=data)
        Calculation.objects.filter(pk=calculation.pk).update(result=result)
        calculation.result = result
        calculation.versions.set([v for v in result["versions"] if v])
    return calculation


def calculation_update(*, actor, calculation: Calculation, data: dict, version: int) -> Calculation:
    """Rename or annotate a saved calculation (its inputs and result stay as calculated)."""
    allowed = {k: v for k, v in data.items() if k in ("title", "note")}
    return services.object_update(obj=calculation, actor=actor, data=allowed, version=version)


def calculation_delete(*, actor, calculation: Calculation, version: int | None = None) -> None:
    services.object_delete(obj=calculation, actor=actor, version=version)


def calculation_restore(*, actor, pk: int) -> Calculation:
    return services.object_restore(model=Calculation, actor=actor, pk=pk)
