"""Reads of the policy library. A county's policies in force (现行) and its published clauses are public inside
the county: every business user of the region reads them (the calculator applies them to any project); drafts,
repealed policies and withdrawn clauses stay within the owner's scope. Calculations, commitments and 兑现 items
follow the usual scope (a town sees its own projects' calculations; a paying department its 兑现 items)."""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Max, Q, Sum

from zhaoshang.core.errors import NotFound
from zhaoshang.core.lists import ListResult, filtered_list
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import VIEW

from . import specs
from .engine.calculator import ClauseSpec
from .filters import CalculationFilter, ClauseFilter, CommitmentFilter, FulfilmentFilter, PolicyFilter
from .models import Calculation, Clause, ClauseVersion, Commitment, Fulfilment, Policy, Variable
from .services.variables import catalogue_for

__all__ = ["catalogue_for"]


def _public(user) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.org_unit_id is not None
        and user.has_capability(Cap.BUSINESS_VIEW)
        and not user.has_capability(Cap.VIEW_ASSIGNED_ONLY)
    )


def _visible(model, user, action: str, public: Q):
    scoped = model.objects.restrict(user, action)
    if action != VIEW or not _public(user):
        return scoped
    return model.objects.filter(Q(pk__in=scoped.values("pk")) | (Q(region_id=user.region_id) & public))


def policies_visible(user, action: str = VIEW):
    return _visible(Policy, user, action, Q(status=Policy.Status.CURRENT))


def clauses_visible(user, action: str = VIEW):
    return _visible(Clause, user, action, Q(status=Clause.Status.PUBLISHED))


def policy_list(*, user, filters) -> ListResult:
    queryset = policies_visible(user).select_related("org_unit", "department")
    return filtered_list(PolicyFilter, queryset, filters, user=user)


def policy_get(*, user, pk: int, action: str = VIEW) -> Policy:
    policy = policies_visible(user, action).select_related("org_unit", "department").filter(pk=pk).first()
    if policy is None:
        raise NotFound()
    return policy


def clause_list(*, user, filters) -> ListResult:
    queryset = clauses_visible(user).select_related("org_unit", "policy", "paying_department", "current_version")
    return filtered_list(ClauseFilter, queryset, filters, user=user)


def clause_get(*, user, pk: int, action: str = VIEW) -> Clause:
    clause = (
        clauses_visible(user, action)
        .select_related("org_unit", "policy", "paying_department", "current_version")
        .filter(pk=pk)
        .first()
    )
    if clause is None:
        raise NotFound()
    return clause


def clause_versions(clause: Clause) -> list[ClauseVersion]:
    return list(clause.versions.select_related("published_by").order_by("-number"))


def policy_clauses(*, user, policy: Policy) -> list[Clause]:
    return list(clauses_visible(user).filter(policy=policy).select_related("current_version").order_by("id"))


def variables_of(region_id: int) -> list[Variable]:
    catalogue_for(region_id)
    return list(Variable.objects.filter(region_id=region_id))


_SPECS: dict[tuple, tuple[tuple, list[ClauseSpec]]] = {}


def specs_in_force(region_id: int, on: datetime.date | None = None) -> list[ClauseSpec]:
    """The county's published clause versions in force on ``on`` (default: each clause's current version),
    under policies in force. Kept per process and re-read when the county's clauses or policies changed (one
    aggregate query to tell; the read itself parses every version's JSON, the calculator's largest cost)."""
    signature = (
        Clause.all_objects.filter(region_id=region_id).aggregate(
            m=Max("updated_at"), n=Count("id"), v=Max("current_version_id")
        ),
        Policy.all_objects.filter(region_id=region_id).aggregate(m=Max("updated_at"), n=Count("id")),
    )
    key = (region_id, on)
    cached = _SPECS.get(key)
    if cached is not None and cached[0] == signature:
        return cached[1]
    found = _read_specs(region_id, on)
    _SPECS[key] = (signature, found)
    return found


def _read_specs(region_id: int, on: datetime.date | None) -> list[ClauseSpec]:
    versions = ClauseVersion.objects.filter(
        clause__region_id=region_id,
        clause__deleted_at__isnull=True,
        clause__status=Clause.Status.PUBLISHED,
        clause__policy__status=Policy.Status.CURRENT,
        clause__policy__deleted_at__isnull=True,
    )
    if on is None:
        versions = versions.filter(clause__current_version_id=F("pk"))
    else:
        versions = versions.filter(effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on)
        )
    rows = versions.order_by("clause_id", "-number").values_list("pk", "clause_id", "number", "content")
    seen, found = set(), []
    for pk, clause_id, number, content in rows:
        if clause_id not in seen:
            seen.add(clause_id)
            found.append(specs.spec_of(content, clause_id=clause_id, version_id=pk, number=number))
    return found


def specs_of_versions(version_ids: list[int]) -> list[ClauseSpec]:
    rows = ClauseVersion.objects.filter(pk__in=version_ids).values_list("pk", "clause_id", "number", "content")
    return [specs.spec_of(c, clause_id=cid, version_id=pk, number=n) for pk, cid, n, c in rows]


def calculation_list(*, user, filters) -> ListResult:
    queryset = Calculation.objects.restrict(user).select_related("org_unit", "project")
    return filtered_list(CalculationFilter, queryset, filters, user=user)


def calculation_get(*, user, pk: int, action: str = VIEW) -> Calculation:
    calculation = Calculation.objects.restrict(user, action).select_related("org_unit", "project").filter(pk=pk).first()
    if calculation is None:
        raise NotFound()
    return calculation


def project_calculations(*, user, project_id: int) -> list[Calculation]:
    return list(Calculation.objects.restrict(user).filter(project_id=project_id).order_by("-id")[:20])


def commitment_list(*, user, filters) -> ListResult:
    queryset = Commitment.objects.restrict(user).select_related("org_unit", "project", "clause")
    return filtered_list(CommitmentFilter, queryset, filters, user=user)


def commitment_get(*, user, pk: int, action: str = VIEW) -> Commitment:
    found = Commitment.objects.restrict(user, action).select_related("project", "clause").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def fulfilment_list(*, user, filters) -> ListResult:
    queryset = Fulfilment.objects.restrict(user).select_related("org_unit", "commitment__project", "commitment__clause")
    return filtered_list(FulfilmentFilter, queryset, filters, user=user)


def fulfilment_get(*, user, pk: int, action: str = VIEW) -> Fulfilment:
    found = (
        Fulfilment.objects.restrict(user, action)
        .select_related("org_unit", "commitment__project", "commitment__clause")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def payout_workdays() -> int:
    from .services.commitments import payout_workdays as workdays  # lazy: the one setting's reader lives there

    return workdays()


def fulfilments_open_for(*, user, limit: int = 10) -> tuple[list[Fulfilment], int]:
    """The 兑现 items waiting on the user's unit (the 工作台 panel): two queries (one when there are none)."""
    open_ = Fulfilment.objects.filter(
        org_unit_id__in=user.org_unit.subtree_ids(),
        status__in=[Fulfilment.Status.OPEN, Fulfilment.Status.APPLIED, Fulfilment.Status.REVIEWED],
    )
    total = open_.count()
    return (list(open_.order_by("due_on", "id")[:limit]) if total else []), total


# --- public reads for other apps -------------------------------------------------------------------------


def committed_vs_paid(*, user, years: int = 4) -> list[dict]:
    """The cockpit's policy line: by year, the amounts agreed in signed projects (by the year each term falls
    due, else the year it was agreed) and the amounts paid (by payment date), in the user's scope; 万元.
    Two aggregate queries."""
    from django.db.models.functions import Coalesce, ExtractYear  # lazy: only this read groups by year

    committed = (
        Commitment.objects.restrict(user)
        .annotate(y=Coalesce(ExtractYear("due_on"), ExtractYear("created_at")))
        .values("y")
        .annotate(total=Sum("amount"))
    )
    paid = (
        Fulfilment.objects.restrict(user)
        .filter(kind=Fulfilment.Kind.PAYOUT, status=Fulfilment.Status.PAID)
        .annotate(y=ExtractYear("paid_on"))
        .values("y")
        .annotate(total=Sum("amount"))
    )
    rows: dict[int, dict] = {}
    for source, key in ((committed, "committed"), (paid, "paid")):
        for row in source:
            entry = rows.setdefault(row["y"], {"year": row["y"], "committed": Decimal("0"), "paid": Decimal("0")})
            entry[key] = row["total"] or Decimal("0")
    return [rows[y] for y in sorted(rows)][-years:]
