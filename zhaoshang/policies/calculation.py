"""The 政策计算器 as a read: the values of a project, a lead, an enterprise or a what-if form, run against the
county's clauses in force, shaped as the API and the page show it (amounts in 万元 as decimal strings)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from zhaoshang.core.errors import ValidationFailed
from zhaoshang.enterprises import selectors as enterprise_selectors
from zhaoshang.leads import selectors as lead_selectors
from zhaoshang.projects import selectors as project_selectors

from . import catalogue as variables
from . import selectors
from .engine import calculator
from .engine.catalogue import coerce_all
from .engine.formulas import fmt


def _tags(enterprise) -> list[str]:
    return [tag.name for tag in enterprise.tags.all()] if enterprise is not None else []


def source_values(*, user, project_id: int | None = None, lead_id: int | None = None, enterprise_id: int | None = None):
    """(values by variable code, what they came from, the project or None), each read in the user's scope
    (404 outside it)."""
    if project_id:
        project = project_selectors.project_get(user=user, pk=project_id)
        return variables.project_values(project, _tags(project.investor)), f"项目：{project.name}", project
    if lead_id:
        lead = lead_selectors.lead_get(user=user, pk=lead_id)
        return variables.lead_values(lead, _tags(lead.enterprise)), f"线索：{lead.title}", None
    if enterprise_id:
        enterprise = enterprise_selectors.enterprise_get(user=user, pk=enterprise_id)
        return variables.enterprise_values(enterprise, _tags(enterprise)), f"企业：{enterprise.name}", None
    return {}, "假设测算", None


def coerce(region_id: int, raw: dict) -> dict:
    values, errors = coerce_all(selectors.catalogue_for(region_id), raw)
    if errors:
        raise ValidationFailed("变量取值有误", fields=errors)
    return values


def plain(values: dict) -> dict:
    """Values as JSON (what a saved calculation keeps as its inputs)."""
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items() if v not in (None, "", [])}


def _clause(spec: calculator.ClauseSpec) -> dict:
    return {
        "id": spec.clause_id,
        "policy": spec.policy,
        "article": spec.article,
        "title": spec.title,
        "version": spec.version,
        "version_id": spec.version_id,
        "paying_department": spec.paying_department,
    }


def _part(part) -> dict:
    return {"text": part.text, "met": part.met, "actual": part.actual, "required": part.required, "gap": part.gap}


def run(*, region_id: int, values: dict, on: datetime.date | None = None, version_ids: list[int] | None = None) -> dict:
    """The calculation in the API's shape. ``version_ids`` re-runs exactly the versions a saved calculation
    used; otherwise the clauses in force on ``on`` (default: the current versions)."""
    catalogue = selectors.catalogue_for(region_id)
    specs = (
        selectors.specs_of_versions(version_ids) if version_ids is not None else selectors.specs_in_force(region_id, on)
    )
    signed = values.get("signed_on")
    base_year = int(signed[:4]) if signed else (on or timezone.localdate()).year
    result = calculator.calculate(specs, catalogue, values, base_year=base_year)
    return {
        "clauses": [
            {
                "clause": _clause(r.spec),
                "met": True,
                "conditions": [_part(p) for p in r.parts],
                "amount": str(calculator.money(r.amount)),
                "steps": r.steps,
                "capped": r.capped,
                "excluded": r.excluded_by is not None,
                "error": r.error,
                "by_year": {str(y): str(a) for y, a in r.by_year.items()},
            }
            for r in result.clauses
        ],
        "near_misses": [
            {
                "clause": _clause(r.spec),
                "missing": [_part(p) for p in r.unmet],
            }
            for r in result.near_misses
        ],
        "total": str(result.total),
        "by_year": {str(y): str(a) for y, a in result.by_year.items()},
        "versions": [r.spec.version_id for r in result.clauses] + [r.spec.version_id for r in result.near_misses],
        "clauses_considered": len(specs),
    }


def summary_line(result: dict) -> str:
    total = fmt(Decimal(result["total"]))
    return f"适用 {len(result['clauses'])} 条，合计 {total} 万元；差一项条件 {len(result['near_misses'])} 条"
