"""精准推送: when a clause version is published, find the enterprises and live projects it newly applies to
(met now, not met by the version before it) and notify each owning unit once. Enterprises carry only some
variables (industry, tags); for them the parts of the condition on those variables must hold and the rest are
left to the officer ("可能适用"). As those parts depend only on the industry and the tags, enterprises without a
tag are counted per industry in the database and the condition is decided once per distinct (industry, tags);
the tagged ones are read in batches, saving progress after each."""

from django.db import transaction
from django.utils import timezone

from zhaoshang.core.parsers import org_unit_model
from zhaoshang.enterprises import selectors as enterprise_selectors
from zhaoshang.notify import services as notify
from zhaoshang.projects import selectors as project_selectors

from .. import catalogue as variables
from ..engine import conditions
from ..models import ClauseVersion, PushRun
from .variables import catalogue_for

BATCH = 5000
SHOWN = 200  # matches kept on the run for display; the count is exact
# What the library knows of an enterprise (``catalogue.enterprise_values``); a part on anything else — the town a
# project would land in, a chain node — is left to the officer like the project's figures.
ENTERPRISE_VARS = {"industry", "tags"}


def push_prepare(version_id: int) -> PushRun:
    version = ClauseVersion.objects.select_related("clause").get(pk=version_id)
    run, _ = PushRun.objects.get_or_create(clause_version=version, defaults={"region_id": version.clause.region_id})
    return run


def _enterprise_condition(condition) -> list:
    return [
        part
        for part in conditions.parts_of(conditions.parse(condition))
        if set(conditions.variables_in(part)) and set(conditions.variables_in(part)) <= ENTERPRISE_VARS
    ]


def _holds(rule: dict, catalogue, values, key=None) -> bool:
    """``rule`` is ``{"and": parts}``; no parts (nothing the enterprise's facts can tell) never holds."""
    return bool(rule["and"]) and conditions.holds(rule, values, conditions.engine_data(catalogue, values), key)


def candidate_filter(parts: list) -> dict:
    """The top-level industry and tag tests of the enterprise parts as a database filter (the arguments of
    ``enterprises.selectors.policy_facts``): every enterprise the parts hold for passes it, so only these
    candidates need evaluating. A part of another shape is left to the evaluation alone."""
    prefixes, tags = None, []
    for part in parts:
        op, args = next(iter(part.items()))
        if not isinstance(args, list) or len(args) != 2:
            continue
        if op == "industry_in" and prefixes is None and args[0] == {"var": "industry"}:
            if isinstance(args[1], list) and args[1] and all(isinstance(p, str) and p for p in args[1]):
                prefixes = list(args[1])
        elif op == "in" and isinstance(args[0], str) and args[0] and args[1] == {"var": "tags"}:
            tags.append(args[0])
    return {"industry_prefixes": prefixes, "tags_all": tuple(dict.fromkeys(tags))}


def push_run(run_id: int) -> PushRun:
    run = PushRun.objects.select_related("clause_version__clause").get(pk=run_id)
    if run.status == PushRun.Status.DONE:
        return run
    version = run.clause_version
    previous = version.clause.versions.filter(number__lt=version.number).order_by("-number").first()
    catalogue = catalogue_for(run.region_id)
    new_condition = version.content.get("condition") or {}
    old_condition = previous.content.get("condition") if previous else None
    projects = project_selectors.live_projects_in_region(region_id=run.region_id)
    PushRun.objects.filter(pk=run.pk).update(
        status=PushRun.Status.RUNNING, started_at=timezone.now(), total=projects.count()
    )
    units: dict[int, int] = {}
    found_projects, done = [], 0
    for project in projects.iterator(chunk_size=1000):
        values = variables.project_values(project, [])
        done += 1
        if all(p.met for p in conditions.evaluate(new_condition, catalogue, values)) and not (
            old_condition is not None and all(p.met for p in conditions.evaluate(old_condition, catalogue, values))
        ):
            found_projects.append([project.pk, project.name])
            units[project.org_unit_id] = units.get(project.org_unit_id, 0) + 1
    found_enterprises, enterprise_count, done = _enterprise_pass(
        run, (version, previous), catalogue, (new_condition, old_condition), units, done
    )
    with transaction.atomic():
        PushRun.objects.filter(pk=run.pk).update(
            status=PushRun.Status.DONE,
            done=done,
            total=done,
            projects=found_projects[:SHOWN],
            enterprises=found_enterprises,
            notified=len(units),
            finished_at=timezone.now(),
        )
        _notify(version, units, len(found_projects), enterprise_count)
    run.refresh_from_db()
    return run


def _enterprise_pass(run, versions, catalogue, conditions_, units: dict, done: int) -> tuple[list, int, int]:
    """The enterprises the new version newly applies to: (first ``SHOWN`` [id, name] by id, how many, progress);
    ``units`` counts them per owning unit."""
    version, previous = versions
    new_condition, old_condition = conditions_
    found_enterprises: list = []
    new_parts, old_parts = _enterprise_condition(new_condition), _enterprise_condition(old_condition or {})
    enterprise_count = 0
    if new_parts:
        new_rule, old_rule = {"and": new_parts}, {"and": old_parts}
        keys = (("push", version.pk), ("push", previous.pk) if previous else None)
        decided: dict[tuple, bool] = {}

        def newly_met(industry: str, tags: list[str]) -> bool:
            """The condition depends only on these facts: decided once per distinct (industry, tags)."""
            facts = (industry, tuple(sorted(tags)))
            if facts not in decided:
                values = {"industry": industry or None, "tags": list(tags)}
                decided[facts] = _holds(new_rule, catalogue, values, keys[0]) and not (
                    old_condition is not None and _holds(old_rule, catalogue, values, keys[1])
                )
            return decided[facts]

        only = candidate_filter(new_parts)
        matched_codes: set[str] = set()
        if not only["tags_all"]:  # enterprises without a tag, counted per industry and unit in the database
            for industry, unit, count in enterprise_selectors.policy_fact_groups(
                region_id=run.region_id, industry_prefixes=only["industry_prefixes"]
            ):
                done += count
                if newly_met(industry, []):
                    matched_codes.add(industry)
                    enterprise_count += count
                    units[unit] = units.get(unit, 0) + count
            PushRun.objects.filter(pk=run.pk).update(done=done, total=max(done, run.total))
            found_enterprises = enterprise_selectors.policy_fact_ids(
                region_id=run.region_id, industry_codes=matched_codes, limit=SHOWN
            )
        tagged: list = []
        after = 0
        while True:  # the tagged ones, read in batches
            batch = enterprise_selectors.policy_facts(
                region_id=run.region_id, after_id=after, limit=BATCH, tagged=True, **only
            )
            if not batch:
                break
            for pk, name, unit, industry, tags in batch:
                if newly_met(industry, tags):
                    enterprise_count += 1
                    if len(tagged) < SHOWN:
                        tagged.append((pk, name))
                    units[unit] = units.get(unit, 0) + 1
            after = batch[-1][0]
            done += len(batch)
            PushRun.objects.filter(pk=run.pk).update(done=done, total=max(done, run.total))
        found_enterprises = [list(row) for row in sorted([*found_enterprises, *tagged])[:SHOWN]]
    return found_enterprises, enterprise_count, done


def _notify(version: ClauseVersion, units: dict[int, int], projects: int, enterprises: int) -> None:
    from django.urls import reverse  # lazy: services are imported before the URLconf is loaded

    url = reverse("policies:clause_detail", args=[version.clause_id])
    for unit in org_unit_model().objects.filter(pk__in=list(units)):
        notify.notify_unit(
            unit,
            title=f"新政策条款可能适用于本单位 {units[unit.pk]} 个项目/企业",
            body=f"{version.content.get('policy', '')}{version.content.get('article', '')}"
            f"「{version.content.get('title', '')}」已发布（第 {version.number} 版）",
            url=url,
        )
