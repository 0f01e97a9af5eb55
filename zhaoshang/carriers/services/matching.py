"""Match runs: each 要素匹配 is saved (inputs, rules version, results); one run per project can be attached as
its 选址建议, and a re-run shows what changed against the attached (or previous) run."""

from django.db import transaction

from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.roles import Cap
from zhaoshang.leads import selectors as leads
from zhaoshang.projects import selectors as projects

from .. import matching
from ..models import Carrier, CarrierMatchRun


def needs_of(*, user, project_id: int | None = None, lead_id: int | None = None) -> tuple[dict, object, object]:
    """(needs, project, lead) read from a project or a lead in the user's scope."""
    if project_id:
        project = projects.visible_project(user=user, pk=project_id)
        if project is None:
            raise NotFound()
        needs = {
            "land_mu": project.land_mu,
            "floor_area_m2": project.floor_area,
            "industry": project.industry.code if project.industry_id else "",
            "town": project.town.name if project.town_id else "",
        }
        return needs, project, None
    if lead_id:
        lead = leads.lead_get(user=user, pk=lead_id)
        needs = {
            "land_mu": lead.land_mu,
            "floor_area_m2": lead.floor_area,
            "industry": lead.industry.code if lead.industry_id else "",
            "town": lead.preferred_town.name if lead.preferred_town_id else "",
        }
        return needs, None, lead
    raise ValidationFailed(fields={"project_id": ["请指定项目、线索或需求"]})


def match_run(*, actor, needs: dict | None = None, project_id=None, lead_id=None, save: bool = True) -> CarrierMatchRun:
    """Rank the county's carriers for the needs (given, or read from the project / lead) and keep the run."""
    if not actor.has_capability(Cap.BUSINESS_VIEW) or actor.org_unit_id is None:
        raise PermissionDenied()
    project = lead = None
    if project_id or lead_id:
        read, project, lead = needs_of(user=actor, project_id=project_id, lead_id=lead_id)
        needs = {**read, **{k: v for k, v in (needs or {}).items() if v not in (None, "")}}
    parsed = matching.Needs.from_dict(needs or {})
    if not any([parsed.land_mu, parsed.floor_area_m2]):
        raise ValidationFailed("请填写用地（亩）或厂房/楼宇面积（㎡）", fields={"land_mu": ["请填写用地或面积需求"]})
    results = matching.run_match(Carrier.objects.restrict(actor), parsed)
    run = CarrierMatchRun(
        region_id=actor.org_unit.region_id,
        actor=actor,
        project=project,
        lead=lead,
        needs=parsed.as_dict(),
        rules_version=results.pop("rules_version"),
        results=results,
    )
    if save:
        run.save()
    return run


def match_attach(*, actor, run_id: int) -> CarrierMatchRun:
    """Make the run the project's (or lead's) 选址建议; the earlier one is detached."""
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    with transaction.atomic():
        run = CarrierMatchRun.objects.select_for_update().filter(pk=run_id, region_id=actor.org_unit.region_id).first()
        if run is None or (run.project_id is None and run.lead_id is None):
            raise NotFound()
        if run.project_id and projects.visible_project(user=actor, pk=run.project_id) is None:
            raise NotFound()
        siblings = CarrierMatchRun.objects.filter(project_id=run.project_id, lead_id=run.lead_id, attached=True)
        siblings.exclude(pk=run.pk).update(attached=False)
        run.attached = True
        run.save(update_fields=["attached"])
    return run


def diff(new: CarrierMatchRun, old: CarrierMatchRun | None) -> dict:
    """What changed between two runs' top candidates: new entries, dropped ones, rank and score moves."""
    if old is None:
        return {"added": [], "removed": [], "moved": []}
    before = {c["carrier"]["id"]: (i + 1, c) for i, c in enumerate(old.results.get("candidates", []))}
    after = {c["carrier"]["id"]: (i + 1, c) for i, c in enumerate(new.results.get("candidates", []))}
    added = [c["carrier"]["name"] for pk, (_, c) in after.items() if pk not in before]
    removed = [c["carrier"]["name"] for pk, (_, c) in before.items() if pk not in after]
    moved = [
        {
            "name": c["carrier"]["name"],
            "from": before[pk][0],
            "to": rank,
            "score_from": before[pk][1]["score"],
            "score_to": c["score"],
        }
        for pk, (rank, c) in after.items()
        if pk in before and (before[pk][0] != rank or before[pk][1]["score"] != c["score"])
    ]
    return {"added": added, "removed": removed, "moved": moved}
