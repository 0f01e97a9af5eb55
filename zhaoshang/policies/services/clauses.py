"""Clauses: the working copy is validated on every save (condition and formula: position and reason), its
worked examples run on every save; publishing needs every example to pass and freezes the content as the next
``ClauseVersion`` (the previous one ends the day before). Editing a published clause publishes the next
version at once, so a published clause never holds content whose examples fail."""

import datetime

from django.db import transaction
from django.utils import timezone

from zhaoshang.core import services
from zhaoshang.core.audit import log_change, snapshot
from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap

from .. import specs
from ..models import Clause, ClauseVersion, Policy
from .push import push_prepare
from .variables import catalogue_for


def _prepare(data: dict, region_id: int) -> dict:
    data = dict(data)
    catalogue = catalogue_for(region_id)
    if "condition" in data or "formula" in data:
        data["condition"] = specs.validate_rules(data.get("condition", {}), data.get("formula", ""), catalogue)
    if "examples" in data:
        data["examples"] = specs.validate_examples(data["examples"])
    return data


def _run_examples(clause: Clause) -> None:
    clause.examples_ok, clause.examples_report = specs.run_examples(
        specs.content_of(clause), catalogue_for(clause.region_id)
    )
    Clause.objects.filter(pk=clause.pk).update(examples_ok=clause.examples_ok, examples_report=clause.examples_report)


def _refuse_failing(clause: Clause) -> None:
    if not clause.examples_ok:
        failed = [row["name"] for row in clause.examples_report if not row["passed"]]
        reason = f"测算示例未通过：{'、'.join(failed)}" if failed else "至少需要一个测算示例"
        raise ValidationFailed(f"{reason}，条款不能发布", fields={"examples": [reason]})


def clause_create(*, actor, data: dict) -> Clause:
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    data = dict(data)
    policy = data.get("policy")
    if isinstance(policy, int):
        policy = data["policy"] = Policy.objects.restrict(actor, "change").filter(pk=policy).first()
    if policy is None:
        raise ValidationFailed(fields={"policy": ["请选择所属政策"]})
    data.setdefault("org_unit", policy.org_unit)
    data = _prepare({"condition": {}, **data}, policy.region_id)
    data.pop("status", None)
    with transaction.atomic():
        clause = services.object_create(model=Clause, actor=actor, data=data)
        _run_examples(clause)
    return clause


def clause_update(
    *, actor, clause: Clause, data: dict, version: int, effective_from: datetime.date | None = None
) -> Clause:
    """Save the working copy; a published clause's edit becomes its next version from ``effective_from``
    (default today) — refused, with nothing saved, when its examples fail."""
    merged = {"condition": clause.condition, "formula": clause.formula, **data}
    data = _prepare({**data, "condition": merged["condition"], "formula": merged["formula"]}, clause.region_id)
    data.pop("status", None)
    with transaction.atomic():
        clause = services.object_update(obj=clause, actor=actor, data=data, version=version)
        _run_examples(clause)
        if clause.status == Clause.Status.PUBLISHED:
            _refuse_failing(clause)
            _new_version(clause, actor, effective_from)
    return clause


def _new_version(clause: Clause, actor, effective_from: datetime.date | None) -> ClauseVersion:
    start = effective_from or clause.policy.effective_from or timezone.localdate()
    previous = clause.versions.order_by("-number").first()
    if previous is not None:
        start = max(start, timezone.localdate()) if effective_from is None else start
        if start < previous.effective_from:
            raise ValidationFailed(fields={"effective_from": ["新版本的生效日期须晚于上一版本"]})
        ClauseVersion.objects.filter(pk=previous.pk).update(effective_to=start - datetime.timedelta(days=1))
    version = ClauseVersion.objects.create(
        clause=clause,
        number=(previous.number + 1) if previous else 1,
        content=specs.content_of(clause),
        effective_from=start,
        published_by=actor,
    )
    Clause.objects.filter(pk=clause.pk).update(current_version=version)
    clause.current_version = version
    run = push_prepare(version.pk)
    from ..tasks import push_clause  # cycle: the tasks module imports these services

    transaction.on_commit(lambda: push_clause.enqueue(run.pk))
    return version


def clause_publish(*, actor, clause: Clause, version: int, effective_from: datetime.date | None = None) -> Clause:
    """Publish a draft (or withdrawn) clause: its examples must pass and its policy must not be repealed."""
    with transaction.atomic():
        current = services.object_get_for_change(model=Clause, actor=actor, pk=clause.pk)
        if current.version != version:
            raise services._conflict(current, version)
        if current.status == Clause.Status.PUBLISHED:
            raise ValidationFailed("条款已发布；修改条款会生成新版本")
        if current.policy.status == Policy.Status.REPEALED:
            raise ValidationFailed("所属政策已废止，条款不能发布")
        _run_examples(current)
        _refuse_failing(current)
        before = snapshot(current)
        current.status = Clause.Status.PUBLISHED
        current.version += 1
        current.updated_by = actor
        current.save(update_fields=["status", "version", "updated_by", "updated_at"])
        _new_version(current, actor, effective_from)
        log_change(actor=actor, obj=current, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(current))
    return current


def clause_withdraw(*, actor, clause: Clause, version: int) -> Clause:
    """Stop applying a clause (its versions stay, for the calculations that used them)."""
    with transaction.atomic():
        current = services.object_update(
            obj=clause, actor=actor, data={"status": Clause.Status.WITHDRAWN}, version=version
        )
        if current.current_version_id:
            ClauseVersion.objects.filter(pk=current.current_version_id, effective_to__isnull=True).update(
                effective_to=timezone.localdate()
            )
    return current


def clause_delete(*, actor, clause: Clause, version: int | None = None) -> None:
    services.object_delete(obj=clause, actor=actor, version=version)


def clause_restore(*, actor, pk: int) -> Clause:
    return services.object_restore(model=Clause, actor=actor, pk=pk)
